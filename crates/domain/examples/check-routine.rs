//! Checks a routine pack file, for the people who write one:
//!
//! ```sh
//! make check-routine FILE=routines/min-kommun.json
//! cargo run -q -p stodrutin-domain --example check-routine -- routines/min-kommun.json
//! ```
//!
//! Prints every problem on its own line, `<path>: <problem>`, and exits with 1; or prints one
//! `ok: …` line with the pack's title, id, version, counts and SHA-256, and exits with 0. The
//! checks are the app's own (`Routine::parse`): a pack this accepts, the app accepts.

use std::process::ExitCode;
use stodrutin_domain::Routine;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: check-routine <pack.json>");
        return ExitCode::from(2);
    };
    let shown = path.to_string_lossy().into_owned();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{shown}: cannot be read: {err}");
            return ExitCode::from(2);
        }
    };
    // The hash is of the file's bytes, so the file is read as it is: no newline conversion.
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            println!("{shown}: the file is not UTF-8 text");
            return ExitCode::FAILURE;
        }
    };
    match Routine::parse(&text) {
        Ok(routine) => {
            println!("{}", summary(&routine));
            ExitCode::SUCCESS
        }
        Err(err) => {
            for problem in &err.problems {
                if problem.path.is_empty() {
                    println!("(the file): {}", problem.issue);
                } else {
                    println!("{problem}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

fn summary(routine: &Routine) -> String {
    format!(
        "ok: {title} ({id} version {version}) — {roles} roles, {contacts} contacts, \
         {sections} sections, {rows} rows, {forms} forms, {checklists} checklists; sha256 {hash}",
        title = routine.provenance.title.sv,
        id = routine.id,
        version = routine.version,
        roles = routine.roles.len(),
        contacts = routine.contacts.len(),
        sections = routine.sections().len(),
        rows = routine.rows.len(),
        forms = routine.forms.len(),
        checklists = routine.checklists.len(),
        hash = routine.hash(),
    )
}
