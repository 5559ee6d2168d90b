const LIMIT: i64 = 10;

sfini::workflow! {
    pub Flow {
        limits: pass { result: { "limit": LIMIT, "unit": items } },
    }
}

fn main() {
    let _ = LIMIT;
}
