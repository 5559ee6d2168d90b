//! `workflow!` refers to an activity's metadata by the function's path:
//! same module, child module, `crate::` paths, imports, and two activities
//! with the same name in different modules.
#![deny(warnings)]

macro_rules! name_of {
    (@activity $meta:literal @errors $errors:literal) => {
        serde_json::from_str::<serde_json::Value>($meta).unwrap()["name"].clone()
    };
}

#[sfini::activity(name = "root-add")]
pub async fn add(a: i64) -> i64 {
    a
}

mod tasks {
    #[sfini::activity(name = "tasks-add")]
    pub async fn add(a: i64) -> i64 {
        a
    }

    pub mod tests_like {
        use super::*;

        pub fn via_glob() -> serde_json::Value {
            add!([name_of] {})
        }
    }
}

mod user {
    use crate::tasks::add;

    pub fn via_import() -> serde_json::Value {
        add!([name_of] {})
    }
}

fn main() {
    assert_eq!(add!([name_of] {}), "root-add");
    assert_eq!(tasks::add!([name_of] {}), "tasks-add");
    assert_eq!(crate::tasks::add!([name_of] {}), "tasks-add");
    assert_eq!(self::tasks::add!([name_of] {}), "tasks-add");
    assert_eq!(tasks::tests_like::via_glob(), "tasks-add");
    assert_eq!(user::via_import(), "tasks-add");
    let _: &dyn Fn() -> sfini::ActivityDefinition = &|| <tasks::add as sfini::Activity>::DEFINITION;
}
