//! Tables, JSON and CSV output. (Being written.)
