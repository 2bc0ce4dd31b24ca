fn main() {
    hindsight::start();
}
