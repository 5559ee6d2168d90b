// Several workflows in one module, private and public, with attributes.
sfini::workflow! {
    #[allow(dead_code)]
    First { only: succeed }
}

sfini::workflow! {
    pub Second { only: succeed }
}

fn main() {
    assert_ne!(First::DEFINITION, "");
    assert_eq!(Second::NAME, "Second");
}
