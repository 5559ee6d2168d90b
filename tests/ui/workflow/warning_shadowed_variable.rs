#![deny(deprecated)]

sfini::workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        start: pass { assign: { total: 0 } },
        each: map {
            items: [1, 2, 3],
            processor {
                add: pass { assign: { total: "{% $total + $states.input %}" } },
            },
        },
    }
}

fn main() {}
