sfini::workflow! {
    #[workflow(timout = 30)]
    pub Flow {
        first: succeed,
    }
}

fn main() {}
