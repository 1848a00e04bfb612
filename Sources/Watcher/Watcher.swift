// Watcher: the main job. Reads an xqueue-watcher configuration unchanged, pulls submissions from every
// configured queue into a bounded pool of grading slots, posts exactly one reply for each, and serves
// the operations endpoints. docs/watcher.md.
