#[sfini::activity]
unsafe fn poke(address: usize) -> u8 {
    unsafe { *(address as *const u8) }
}

fn main() {}
