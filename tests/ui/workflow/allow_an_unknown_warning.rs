sfini::workflow! {
    #[workflow(allow = [choise_without_default])]
    pub Flow {
        route: choice {
            "$.n" < 10 => small,
        },
        small: pass { allow: [path_like, 3] },
    }
}

fn main() {}
