#[sfini::activity(name = "add numbers")]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[sfini::activity(name = "billing:charge")]
async fn charge() {}

#[sfini::activity(name = "")]
async fn nothing() {}

#[sfini::activity(name = "an-activity-name-that-goes-on-and-on-and-on-well-past-the-eighty-characters-that-step-functions-allows")]
async fn long() {}

#[sfini::activity(name = addActivity)]
async fn unquoted() {}

#[sfini::activity]
async fn a_function_whose_name_is_far_too_long_to_be_an_activity_name_in_step_functions_at_all() {}

fn main() {}
