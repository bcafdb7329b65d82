//! Mounts the app; everything else lives in the library.

fn main() {
    stodrutin::ui::mount();
}
