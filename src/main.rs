//! The page's entry point (trunk builds this binary).

fn main() {
    faultlab_web::start();
}
