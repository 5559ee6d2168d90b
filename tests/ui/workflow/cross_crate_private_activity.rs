sfini::workflow! {
    pub Flow {
        check: task(orders::activities::audit),
    }
}

fn main() {}
