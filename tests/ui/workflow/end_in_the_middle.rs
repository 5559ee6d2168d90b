sfini::workflow! {
    pub Flow {
        one: pass,
        two: pass { end: true },
        three: pass,
        four: pass,
        five: pass,
        six: wait { seconds: 1 },
        seven: pass,
        eight: pass,
        nine: pass,
        ten: pass,
        eleven: pass,
        twelve: succeed,
    }
}

fn main() {}
