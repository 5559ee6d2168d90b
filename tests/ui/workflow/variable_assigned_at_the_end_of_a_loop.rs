use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        step: pass { output: { next: "{% $count + 1 %}" } },
        count: pass { assign: { count: $states.input.next } },
        again: choice {
            $count < 10 => step,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
