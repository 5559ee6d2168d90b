// State names may be identifiers, keywords, raw identifiers or strings;
// the last comma is optional; a state without a body takes no braces.
sfini::workflow! {
    pub(crate) Names {
        r#type: pass { next: "with spaces" },
        "with spaces": pass { next: match },
        match: pass {},
        end: succeed
    }
}

fn main() {
    let definition: serde_json::Value = serde_json::from_str(Names::DEFINITION).unwrap();
    assert_eq!(definition["StartAt"], "type");
    assert_eq!(definition["States"]["match"]["Next"], "end");
}
