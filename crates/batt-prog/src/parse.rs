//! Reading files of solvers in arc-dsl syntax, with every line checked for what would stop
//! Python running it (names, arity, order of definitions); no argument is refused for its type.
//!
//! A file holds any number of `def solve_<task>(I):` or `def solve_<task>(S, I):` functions;
//! blank lines, `#` comments, docstrings and `import` lines are allowed. Each problem is
//! reported with file:line and a plain message, and a function with a problem is left out
//! while the others load.

use crate::ast::{Arg, Callee, Line, Program, Ref};
use crate::check::{arg_kinds, kinds, ref_kinds, result_kinds};
use crate::consts;
use batt_dsl::{Grid, Prim, Value};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a program file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgError {
    pub file: String,
    /// 1-based line number (0 when the whole file is concerned).
    pub line: usize,
    /// The function the line belongs to, if any.
    pub func: Option<String>,
    pub msg: String,
}

impl fmt::Display for ProgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(func) = &self.func {
            write!(f, ": in {func}")?;
        }
        write!(f, ": {}", self.msg)
    }
}

impl std::error::Error for ProgError {}

/// A program with where it came from.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub program: Program,
    pub file: String,
    /// Line number of the `def`.
    pub def_line: usize,
    /// Line number of each program line.
    pub line_nos: Vec<usize>,
}

/// Everything read from one source: the sound programs and the problems.
#[derive(Debug, Default)]
pub struct SourceFile {
    pub programs: Vec<Parsed>,
    pub errors: Vec<ProgError>,
}

/// Reads and parses a file of solvers. A line that is not UTF-8 text is reported with its
/// number (and read with U+FFFD in place of the bad bytes, so a bad byte in a comment loses
/// nothing); every function that can be read still loads.
pub fn parse_file(path: &Path) -> SourceFile {
    let file = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => parse_bytes(&bytes, &file),
        Err(e) => SourceFile {
            programs: vec![],
            errors: vec![ProgError { file, line: 0, func: None, msg: format!("cannot read: {e}") }],
        },
    }
}

/// Every `*.py` file named, or found (sorted by name) in a directory named.
pub fn solver_files(paths: &[impl AsRef<Path>]) -> Result<Vec<PathBuf>, ProgError> {
    let mut files = vec![];
    for p in paths.iter().map(AsRef::as_ref) {
        if p.is_dir() {
            let cannot = |e: std::io::Error| ProgError {
                file: p.display().to_string(),
                line: 0,
                func: None,
                msg: format!("cannot read the directory: {e}"),
            };
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(cannot)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "py"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.to_path_buf());
        }
    }
    Ok(files)
}

/// Reads and parses every solver file of `paths` (files, or directories of `*.py` files):
/// their programs and problems together. Only a directory that cannot be listed stops it.
pub fn parse_paths(paths: &[impl AsRef<Path>]) -> Result<SourceFile, ProgError> {
    let mut out = SourceFile::default();
    for f in solver_files(paths)? {
        let mut src = parse_file(&f);
        out.programs.append(&mut src.programs);
        out.errors.append(&mut src.errors);
    }
    Ok(out)
}

/// Decodes solver source bytes: a UTF-8 byte-order mark is skipped, and each line that is not
/// UTF-8 is reported (file:line, the byte and its column) and decoded with U+FFFD in place of
/// the bad bytes. Returns the text and the problems.
pub fn decode(bytes: &[u8], file: &str) -> (String, Vec<ProgError>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), vec![]);
    }
    let mut text = String::with_capacity(bytes.len());
    let mut errors = vec![];
    for (k, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(l) => text.push_str(l),
            Err(e) => {
                let at = e.valid_up_to();
                errors.push(ProgError {
                    file: file.to_string(),
                    line: k + 1,
                    func: None,
                    msg: format!("not UTF-8 text: byte 0x{:02X} at column {}", line[at], at + 1),
                });
                text.push_str(&String::from_utf8_lossy(line));
            }
        }
    }
    (text, errors)
}

/// Parses solver source bytes (see [`decode`]); `file` names it in messages.
pub fn parse_bytes(bytes: &[u8], file: &str) -> SourceFile {
    let (text, mut errors) = decode(bytes, file);
    let mut out = parse_str(&text, file);
    errors.append(&mut out.errors);
    errors.sort_by_key(|e| e.line);
    out.errors = errors;
    out
}

fn strip_comment(s: &str) -> &str {
    s.split('#').next().unwrap_or("")
}

fn indented(s: &str) -> bool {
    s.starts_with([' ', '\t'])
}

/// Parses solver source text; `file` names it in messages.
pub fn parse_str(text: &str, file: &str) -> SourceFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = SourceFile::default();
    let err = |line: usize, func: Option<&str>, msg: String| ProgError {
        file: file.to_string(),
        line,
        func: func.map(str::to_string),
        msg,
    };
    let mut k = 0;
    while k < lines.len() {
        let raw = lines[k];
        let code = strip_comment(raw).trim_end();
        if code.trim().is_empty() {
            k += 1;
            continue;
        }
        if indented(raw) {
            out.errors.push(err(k + 1, None, "indented line outside a function".into()));
            k += 1;
            continue;
        }
        if code.starts_with("import ") || code.starts_with("from ") {
            k += 1;
            continue;
        }
        if !code.starts_with("def ") {
            out.errors.push(err(k + 1, None, format!("expected `def solve_<task>(I):`, found `{}`", code.trim())));
            k += 1;
            continue;
        }
        // the body: every following line that is indented, blank or a comment
        let start = k;
        k += 1;
        while k < lines.len() && (indented(lines[k]) || strip_comment(lines[k]).trim().is_empty()) {
            k += 1;
        }
        let body: Vec<(usize, &str)> = (start + 1..k).map(|n| (n + 1, lines[n])).collect();
        match parse_function(code, start + 1, &body, file) {
            Ok(p) => out.programs.push(p),
            Err(mut es) => out.errors.append(&mut es),
        }
    }
    out
}

fn parse_header(code: &str) -> Result<(String, bool), String> {
    let rest = code.strip_prefix("def ").unwrap_or(code).trim();
    let (name, rest) = rest.split_once('(').ok_or("expected `def solve_<task>(I):`")?;
    let (params, tail) = rest.split_once(')').ok_or("missing `)` in the function header")?;
    if tail.trim() != ":" {
        return Err("expected `:` after the parameters".into());
    }
    let name = name.trim();
    // a bare `solve` is a program for no task in particular (run on any grid, scored on any task)
    let task = match name {
        "solve" => "",
        _ => name
            .strip_prefix("solve_")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| format!("`{name}` is not a solver: its name must be solve_<task id> (or solve)"))?,
    };
    let params: Vec<&str> = params.split(',').map(str::trim).collect();
    let uses_s = match params[..] {
        ["I"] => false,
        ["S", "I"] => true,
        _ => return Err(format!("parameters must be `(I)` or `(S, I)`, found `({})`", params.join(", "))),
    };
    Ok((task.to_string(), uses_s))
}

/// A token of a statement.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    Int(i64),
    Sym(char),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = vec![];
    let cs: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < cs.len() {
        let c = cs[k];
        if c.is_whitespace() {
            k += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let st = k;
            while k < cs.len() && (cs[k].is_ascii_alphanumeric() || cs[k] == '_') {
                k += 1;
            }
            out.push(Tok::Name(cs[st..k].iter().collect()));
        } else if c.is_ascii_digit() {
            let st = k;
            while k < cs.len() && cs[k].is_ascii_digit() {
                k += 1;
            }
            let t: String = cs[st..k].iter().collect();
            out.push(Tok::Int(t.parse().map_err(|_| format!("number `{t}` is too large"))?));
        } else if "()=,-".contains(c) {
            out.push(Tok::Sym(c));
            k += 1;
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(out)
}

/// A parsed argument before name resolution.
#[derive(Clone, Debug)]
enum RawArg {
    Name(String),
    Int(i64),
    Pair(i64, i64),
    /// A tuple of tuples of numbers: a grid, row by row.
    Rows(Vec<Vec<i64>>),
}

struct Cursor {
    toks: Vec<Tok>,
    k: usize,
}

impl Cursor {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.k)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.k).cloned();
        self.k += 1;
        t
    }
    fn sym(&mut self, c: char) -> Result<(), String> {
        match self.next() {
            Some(Tok::Sym(x)) if x == c => Ok(()),
            Some(t) => Err(format!("expected `{c}`, found {}", show(&t))),
            None => Err(format!("expected `{c}` at the end of the line")),
        }
    }
    fn int(&mut self) -> Result<i64, String> {
        match self.next() {
            Some(Tok::Sym('-')) => match self.next() {
                Some(Tok::Int(x)) => Ok(-x),
                _ => Err("expected a number after `-`".into()),
            },
            Some(Tok::Int(x)) => Ok(x),
            _ => Err("expected a number".into()),
        }
    }
    /// The items of a Python tuple, `(` to `)` (a trailing comma allowed, as in `(7,)`).
    fn tuple<T>(&mut self, mut item: impl FnMut(&mut Cursor) -> Result<T, String>) -> Result<Vec<T>, String> {
        self.sym('(')?;
        let mut items = vec![];
        loop {
            if self.peek() == Some(&Tok::Sym(')')) && !items.is_empty() {
                self.k += 1;
                return Ok(items);
            }
            items.push(item(self)?);
            match self.next() {
                Some(Tok::Sym(',')) => {}
                Some(Tok::Sym(')')) => return Ok(items),
                Some(t) => return Err(format!("expected `,` or `)` in a tuple, found {}", show(&t))),
                None => return Err("missing `)` of a tuple".into()),
            }
        }
    }

    fn arg(&mut self) -> Result<RawArg, String> {
        match self.peek() {
            Some(Tok::Name(n)) => {
                let n = n.clone();
                self.k += 1;
                if self.peek() == Some(&Tok::Sym('(')) {
                    return Err(format!("nested call of `{n}`: assign it to a variable on a line of its own"));
                }
                Ok(RawArg::Name(n))
            }
            Some(Tok::Sym('(')) if self.toks.get(self.k + 1) == Some(&Tok::Sym('(')) => {
                Ok(RawArg::Rows(self.tuple(|c| c.tuple(Cursor::int))?))
            }
            Some(Tok::Sym('(')) => {
                self.k += 1;
                let a = self.int()?;
                self.sym(',')?;
                let b = self.int()?;
                self.sym(')')?;
                Ok(RawArg::Pair(a, b))
            }
            Some(Tok::Int(_) | Tok::Sym('-')) => Ok(RawArg::Int(self.int()?)),
            Some(t) => Err(format!("expected an argument, found {}", show(t))),
            None => Err("expected an argument at the end of the line".into()),
        }
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Name(n) => format!("`{n}`"),
        Tok::Int(x) => format!("`{x}`"),
        Tok::Sym(c) => format!("`{c}`"),
    }
}

/// A statement: `target = callee(args)` or `return name`.
enum Stmt {
    Assign(String, String, Vec<RawArg>),
    Return(String),
}

fn parse_stmt(code: &str) -> Result<Stmt, String> {
    let mut c = Cursor { toks: tokenize(code)?, k: 0 };
    let first = match c.next() {
        Some(Tok::Name(n)) => n,
        _ => return Err("expected `name = primitive(...)` or `return name`".into()),
    };
    if first == "return" {
        let name = match c.next() {
            Some(Tok::Name(n)) => n,
            _ => return Err("`return` must name a variable".into()),
        };
        if let Some(t) = c.next() {
            return Err(format!("unexpected {} after `return {name}`", show(&t)));
        }
        return Ok(Stmt::Return(name));
    }
    c.sym('=')?;
    let callee = match c.next() {
        Some(Tok::Name(n)) => n,
        Some(t) => return Err(format!("expected a call, found {}", show(&t))),
        None => return Err("expected a call after `=`".into()),
    };
    if c.peek() != Some(&Tok::Sym('(')) {
        return Err(format!("expected a call `{callee}(...)`"));
    }
    c.k += 1;
    let mut args = vec![];
    if c.peek() == Some(&Tok::Sym(')')) {
        c.k += 1;
    } else {
        loop {
            args.push(c.arg()?);
            match c.next() {
                Some(Tok::Sym(',')) if c.peek() == Some(&Tok::Sym(')')) => {
                    c.k += 1;
                    break;
                }
                Some(Tok::Sym(',')) => {}
                Some(Tok::Sym(')')) => break,
                Some(t) => return Err(format!("expected `,` or `)`, found {}", show(&t))),
                None => return Err("missing `)`".into()),
            }
        }
    }
    if let Some(t) = c.next() {
        return Err(format!("unexpected {} after the call", show(&t)));
    }
    Ok(Stmt::Assign(first, callee, args))
}

/// The grid a tuple of rows writes: rows of one length, colours 0 to 9.
fn grid_literal(rows: &[Vec<i64>]) -> Result<Grid, String> {
    let w = rows.first().map_or(0, Vec::len);
    if let Some(k) = rows.iter().position(|r| r.len() != w) {
        return Err(format!("grid row {} has {} cells, row 1 has {w}", k + 1, rows[k].len()));
    }
    if let Some(x) = rows.iter().flatten().find(|x| !(0..=9).contains(*x)) {
        return Err(format!("grid cell {x} is not a colour (0 to 9)"));
    }
    let cells = rows.iter().flatten().map(|&x| x as i8).collect();
    Grid::new(rows.len(), w, cells).map_err(|e| format!("grid of {} by {w}: {e}", rows.len()))
}

fn small(x: i64) -> Result<i32, String> {
    i32::try_from(x).map_err(|_| format!("number {x} is out of range"))
}

/// The problems found in one function, each with its file, line and function.
struct Problems<'a> {
    file: &'a str,
    func: String,
    list: Vec<ProgError>,
}

impl Problems<'_> {
    fn push(&mut self, line: usize, msg: String) {
        self.list.push(ProgError { file: self.file.into(), line, func: Some(self.func.clone()), msg });
    }
}

/// The statements of a function body with their line numbers, skipping blank lines, comments
/// and docstrings; a line that is no statement is a problem.
fn statements(body: &[(usize, &str)], problems: &mut Problems) -> Vec<(usize, Stmt)> {
    let mut stmts: Vec<(usize, Stmt)> = vec![];
    let mut in_doc: Option<&str> = None;
    for &(no, raw) in body {
        let t = raw.trim();
        if let Some(q) = in_doc {
            if t.contains(q) {
                in_doc = None;
            }
            continue;
        }
        if let Some(q) = ["\"\"\"", "'''"].into_iter().find(|q| t.starts_with(q)) {
            if !t[3..].contains(q) {
                in_doc = Some(q);
            }
            continue;
        }
        let code = strip_comment(raw).trim();
        if code.is_empty() {
            continue;
        }
        match parse_stmt(code) {
            Ok(s) => stmts.push((no, s)),
            Err(msg) => problems.push(no, msg),
        }
    }
    stmts
}

/// The names a function's lines can read, and the lines read so far.
struct Scope {
    /// `I`, `S` when the function takes it, and the variables assigned so far.
    vars: HashMap<String, Ref>,
    /// Where each variable of the body is assigned (its last assignment).
    assigned_at: HashMap<String, usize>,
    /// What each line can hold, as kind masks (see `check`).
    kinds: Vec<u32>,
    lines: Vec<Line>,
    line_nos: Vec<usize>,
}

impl Scope {
    fn new(uses_s: bool, stmts: &[(usize, Stmt)]) -> Scope {
        let assigned_at = stmts
            .iter()
            .filter_map(|(no, s)| match s {
                Stmt::Assign(t, ..) => Some((t.clone(), *no)),
                _ => None,
            })
            .collect();
        let mut vars: HashMap<String, Ref> = HashMap::new();
        vars.insert("I".into(), Ref::I);
        if uses_s {
            vars.insert("S".into(), Ref::S);
        }
        Scope { vars, assigned_at, kinds: vec![], lines: vec![], line_nos: vec![] }
    }

    /// Why `name`, read on line `no`, is not a value.
    fn unknown(&self, name: &str, no: usize) -> String {
        match self.assigned_at.get(name) {
            Some(&at) if at >= no => format!("variable `{name}` is used before it is defined (line {at})"),
            _ if name == "S" => "`S` is not a parameter: declare the function as `(S, I)`".to_string(),
            _ => format!("unknown name `{name}`: not a variable, primitive or constant"),
        }
    }

    /// What line `no` calls: a variable that can hold a function, or a primitive.
    fn callee(&self, name: &str, no: usize) -> Result<Callee, String> {
        if let Some(&r) = self.vars.get(name) {
            if ref_kinds(r, &self.kinds) & kinds::FUNC == 0 {
                return Err(format!("`{name}` is never a function: it is computed by a primitive that returns none"));
            }
            return Ok(Callee::Ref(r));
        }
        if let Some(p) = Prim::by_name(name) {
            return Ok(Callee::Prim(p));
        }
        Err(if consts::lookup(name).is_some() {
            format!("`{name}` is a constant, not a function")
        } else if self.assigned_at.contains_key(name) {
            self.unknown(name, no)
        } else {
            format!("unknown primitive `{name}`")
        })
    }

    /// An argument on line `no`: a variable, a constant, a primitive as a function value, a
    /// number or a pair of numbers.
    fn arg(&self, a: &RawArg, no: usize) -> Result<Arg, String> {
        match a {
            RawArg::Name(n) => {
                if let Some(&r) = self.vars.get(n) {
                    Ok(Arg::Ref(r))
                } else if let Some(v) = consts::lookup(n) {
                    Ok(Arg::Const(v))
                } else if n == "True" || n == "False" {
                    Ok(Arg::Const(Value::Bool(n == "True")))
                } else if let Some(p) = Prim::by_name(n) {
                    Ok(Arg::Prim(p))
                } else {
                    Err(self.unknown(n, no))
                }
            }
            RawArg::Int(x) => small(*x).map(|x| Arg::Const(Value::Int(x))),
            RawArg::Pair(a, b) => {
                small(*a).and_then(|a| Ok((a, small(*b)?))).map(|(a, b)| Arg::Const(Value::Pair(a, b)))
            }
            RawArg::Rows(rows) => grid_literal(rows).map(|g| Arg::Const(Value::Grid(g))),
        }
    }

    /// Line `no`, `target = callee(args)`: resolved, checked, and added. Even a line with a
    /// problem defines its variable, so that later lines report their own problems.
    fn assign(&mut self, no: usize, target: String, callee: &str, raw_args: &[RawArg], problems: &mut Problems) {
        let mut ok = true;
        let callee = self.callee(callee, no).unwrap_or_else(|msg| {
            problems.push(no, msg);
            ok = false;
            Callee::Prim(Prim(0))
        });
        let mut args = vec![];
        for a in raw_args {
            match self.arg(a, no) {
                Ok(arg) => args.push(arg),
                Err(msg) => {
                    problems.push(no, msg);
                    ok = false;
                }
            }
        }
        // Python checks no annotation: an argument of another type than the one declared is
        // no error (it runs, and fails at run time only if Python would); only the number of
        // arguments must be right
        let mut ret_kinds = kinds::ALL;
        if let (true, Callee::Prim(p)) = (ok, callee) {
            let info = p.info();
            if info.params.len() != args.len() {
                problems.push(no, format!("`{}` takes {} arguments, got {}", info.name, info.params.len(), args.len()));
            } else {
                let arg_ks: Vec<u32> = args.iter().map(|a| arg_kinds(a, &self.kinds)).collect();
                ret_kinds = result_kinds(p, &arg_ks);
            }
        }
        self.vars.insert(target, Ref::Line(self.lines.len()));
        self.kinds.push(ret_kinds);
        self.lines.push(Line { callee, args });
        self.line_nos.push(no);
    }
}

/// One function: its header on line `def_line` and its body's lines (numbered).
fn parse_function(header: &str, def_line: usize, body: &[(usize, &str)], file: &str) -> Result<Parsed, Vec<ProgError>> {
    let (task, uses_s) =
        parse_header(header).map_err(|msg| vec![ProgError { file: file.into(), line: def_line, func: None, msg }])?;
    let mut problems = Problems { file, func: crate::ast::solver_name(&task), list: vec![] };
    let stmts = statements(body, &mut problems);
    let mut scope = Scope::new(uses_s, &stmts);
    let mut ret: Option<Ref> = None;
    for (no, stmt) in stmts {
        if ret.is_some() {
            problems.push(no, "code after `return`".into());
            continue;
        }
        match stmt {
            Stmt::Return(name) => match scope.vars.get(&name) {
                Some(r) => ret = Some(*r),
                None => problems.push(no, scope.unknown(&name, no)),
            },
            Stmt::Assign(target, callee, args) => scope.assign(no, target, &callee, &args, &mut problems),
        }
    }
    let Some(ret) = ret else {
        problems.push(def_line, "no `return`".into());
        return Err(problems.list);
    };
    if !problems.list.is_empty() {
        return Err(problems.list);
    }
    let Scope { lines, line_nos, .. } = scope;
    Ok(Parsed { program: Program { name: task, uses_s, lines, ret }, file: file.into(), def_line, line_nos })
}
