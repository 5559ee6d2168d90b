sfini::workflow! {
    #[workflow(name = "my flow")]
    pub Flow {
        first: succeed,
    }
}

fn main() {}
