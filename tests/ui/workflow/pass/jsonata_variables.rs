//! Variables read only where every path has assigned them: no error, no
//! warning (warnings are denied).
#![deny(deprecated)]

use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Counting {
        start: pass { assign: { count: 0, rate: $states.input.rate } },
        step: pass { assign: { count: "{% $count + 1 %}" } },
        again: choice {
            $count < 10 => step,
            $count == 10 => fan_out { assign: { last: $count } },
            _ => failed,
        },
        fan_out: parallel {
            branch {
                inner: pass { assign: { local: "{% $count * $rate %}" } },
                use_it: pass { output: { local: $local, last: $last } },
            },
            branch { other: pass { output: $count } },
            catch ["States.ALL"] => recover { assign: { reason: $states.errorOutput.Cause } },
            next: each,
        },
        each: map {
            items: $states.input,
            item_selector: { value: $states.context.Map.Item.Value, rate: $rate },
            processor {
                price: pass { output: "{% $states.input.value * $rate %}" },
            },
            output: { prices: $states.result, last: $last },
            end: true,
        },
        recover: pass { output: { why: $reason }, next: failed },
        failed: fail { error: "Failed", cause: "{% 'after ' & $string($count) %}" },
    }
}

fn main() {
    assert!(Counting::DEFINITION.contains("JSONata"));
}
