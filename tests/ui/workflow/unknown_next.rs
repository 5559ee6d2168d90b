sfini::workflow! {
    pub Looping {
        initialise: pass { result: 0, result_path: "$.counter" },
        increment: pass { result: 1, result_path: "$.step" },
        check_counter: choice {
            "$.counter" < 10 => incremnt,
            _ => end,
        },
        end: succeed {},
    }
}

fn main() {}
