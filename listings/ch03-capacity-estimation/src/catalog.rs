//! The scenario files shipped with the chapter, one per case study of the book.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::report;
use crate::scenario::Scenario;

/// `listings/ch03-capacity-estimation/scenarios`, wherever the repository is checked out.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// `listings/ch03-capacity-estimation/outputs`, where each scenario's table is written.
pub fn outputs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("outputs")
}

/// Every `*.toml` in `dir`, sorted by name, loaded and validated, each with its file stem.
/// The first invalid file stops the load: a catalog with a broken scenario is a broken catalog.
pub fn load_all(dir: &Path) -> Result<Vec<(String, Scenario)>, Error> {
    let read_error = |source| Error::Read {
        file: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            Scenario::load(&path).map(|scenario| (stem, scenario))
        })
        .collect()
}

/// The text of `outputs/<stem>.txt`: the command that prints it, then the full table.
pub fn output_file_text(stem: &str, scenario: &Scenario) -> String {
    format!(
        "$ cargo run -q -p ch03-capacity-estimation --bin capacity -- \
         listings/ch03-capacity-estimation/scenarios/{stem}.toml\n{}",
        report::render(stem, scenario)
    )
}
