//! The syntax tree the Bicep parser builds.
//!
//! It keeps what azengage reads (declarations, property values, types as far as decorators and `resource`
//! types go) and a byte [`Span`] on every node, so any expression can be quoted back from the source and any
//! problem placed at a line and column. It is not a typed tree: the parser never type-checks.

// The fields of struct-like variants are named after the syntax each variant's doc shows
// (`Param { name, ty, value }` for `param name type = value`); documenting each again would repeat it.
#![allow(missing_docs)]

pub use compact_str::CompactString;

/// A byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start,
            end: other.end.max(self.start),
        }
    }
}

/// A lexical or syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where it is.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// A parsed `.bicep` or `.bicepparam` file: its statements and the errors met on the way.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// The statements, in source order (the ones that failed to parse are left out).
    pub statements: Vec<Stmt>,
    /// Lexical and syntax errors, each once.
    pub errors: Vec<SyntaxError>,
}

/// `@name(args)` or `@ns.name(args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decorator {
    /// The decorator's name (`description`, `secure`, `batchSize`).
    pub name: CompactString,
    /// The namespace when written (`sys` in `@sys.description`).
    pub namespace: Option<CompactString>,
    /// The arguments.
    pub args: Vec<Expr>,
    /// Where it is.
    pub span: Span,
}

/// A top-level statement with its decorators.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// Decorators written on the lines before it.
    pub decorators: Vec<Decorator>,
    /// What it declares.
    pub kind: StmtKind,
    /// From the keyword to the end of the statement.
    pub span: Span,
}

/// The statements of Bicep and `.bicepparam` files.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `targetScope = expr`
    TargetScope(Expr),
    /// `metadata name = expr`
    Metadata { name: CompactString, value: Expr },
    /// `param name type [= default]`; in a `.bicepparam` file `param name = value` (no type).
    Param {
        name: CompactString,
        ty: Option<TypeExpr>,
        value: Option<Expr>,
    },
    /// `var name [type] = expr`
    Var {
        name: CompactString,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `type name = typeExpr`
    Type { name: CompactString, ty: TypeExpr },
    /// `func name(arg type, ...) type => expr`
    Func {
        name: CompactString,
        params: Vec<(CompactString, TypeExpr)>,
        result: TypeExpr,
        body: Expr,
    },
    /// `import ...`, legacy `provider ...`, `extension ...`: nothing deployable comes from these.
    Import {
        keyword: CompactString,
        source: Option<CompactString>,
        names: Vec<CompactString>,
    },
    /// `using 'path'` (`None` for `using none`).
    Using { path: Option<CompactString> },
    /// `extends 'path'`
    Extends { path: CompactString },
    /// `resource name 'Type@version' [existing] = body`
    Resource(ResourceDecl),
    /// `module name 'path' = body`
    Module(ModuleDecl),
    /// `output name type = expr`
    Output {
        name: CompactString,
        ty: TypeExpr,
        value: Expr,
    },
    /// `test name 'path' = body`
    Test {
        name: CompactString,
        path: CompactString,
        body: Expr,
    },
    /// `assert name = expr`
    Assert { name: CompactString, value: Expr },
}

/// A `resource` declaration, top-level or nested in a parent's body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDecl {
    /// The symbolic name.
    pub name: CompactString,
    /// The type string as written (`Microsoft.Web/sites@2023-01-01`, or `containers` when nested).
    pub type_string: CompactString,
    /// Where the type string is.
    pub type_span: Span,
    /// `existing` reference rather than a deployment.
    pub existing: bool,
    /// The body: an object, `if (...) {...}` or a `[for ...]` loop.
    pub body: Expr,
    /// From the `resource` keyword to the end of the body.
    pub span: Span,
    /// Decorators on the declaration.
    pub decorators: Vec<Decorator>,
}

/// A `module` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleDecl {
    /// The symbolic name.
    pub name: CompactString,
    /// The path or registry reference as written.
    pub path: CompactString,
    /// Where the path is.
    pub path_span: Span,
    /// The body: an object, `if (...) {...}` or a `[for ...]` loop.
    pub body: Expr,
    /// From the `module` keyword to the end of the body.
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// Binary operators, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Coalesce,
    Or,
    And,
    Eq,
    NotEq,
    EqInsensitive,
    NotEqInsensitive,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum UnaryOp {
    Not,
    Neg,
    Plus,
}

/// The expression forms of Bicep.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string without interpolation (decoded).
    String(CompactString),
    /// `'a${x}b'`: `parts` has one more element than `exprs`.
    Interpolated {
        parts: Vec<CompactString>,
        exprs: Vec<Expr>,
    },
    /// An integer literal as written.
    Int(CompactString),
    /// `true` / `false`
    Bool(bool),
    /// `null`
    Null,
    /// A name.
    Ident(CompactString),
    /// `[a, b]` (items may be [`ExprKind::Spread`]).
    Array(Vec<Expr>),
    /// `{ key: value }`
    Object(Vec<ObjectItem>),
    /// `...expr` inside an array or object.
    Spread(Box<Expr>),
    /// `f(args)`, `ns.f(args)`, `res.listKeys()`
    Call { callee: Box<Expr>, args: Vec<Expr> },
    /// `base.name`, or `base.?name` when `safe`.
    Member {
        base: Box<Expr>,
        name: CompactString,
        safe: bool,
    },
    /// `base[index]`, `base[?index]` (`safe`), `base[^index]` (`from_end`).
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
        from_end: bool,
    },
    /// `parent::child`
    ChildAccess {
        base: Box<Expr>,
        name: CompactString,
    },
    /// `expr!`
    NonNull(Box<Expr>),
    /// `!x`, `-x`, `+x`
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// `a op b`
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `cond ? a : b`
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `x => body`, `(a, b) => body`
    Lambda {
        params: Vec<CompactString>,
        body: Box<Expr>,
    },
    /// `[for item in source: body]`, `[for (item, index) in source: body]`
    For {
        item: CompactString,
        index: Option<CompactString>,
        source: Box<Expr>,
        body: Box<Expr>,
    },
    /// `if (cond) body`, the conditional form of a resource or module body.
    If { cond: Box<Expr>, body: Box<Expr> },
    /// `(expr)`
    Paren(Box<Expr>),
    /// Something that failed to parse (an error was recorded).
    Error,
}

/// One entry of an object literal.
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectItem {
    /// `key: value`
    Property {
        key: CompactString,
        key_span: Span,
        value: Expr,
    },
    /// `...expr`
    Spread(Expr),
    /// A nested child resource declared in a resource body.
    Resource(Box<ResourceDecl>),
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    /// What it is.
    pub kind: TypeKind,
    /// Where it is.
    pub span: Span,
}

/// The type forms of Bicep.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `string`, `int`, a user type name.
    Name(CompactString),
    /// `resourceInput<'Type@ver'>`
    Generic {
        name: CompactString,
        args: Vec<TypeExpr>,
    },
    /// A literal type (`'a'`, `1`, `-1`, `true`, `null`).
    Literal(Expr),
    /// `resource 'Type@ver'`
    Resource(CompactString),
    /// `{ @description('...') name: string, *: int }`
    Object(Vec<TypeProperty>),
    /// `[string, int]`
    Tuple(Vec<TypeExpr>),
    /// `T[]`
    Array(Box<TypeExpr>),
    /// `T?`
    Nullable(Box<TypeExpr>),
    /// `T!` (the non-null form of a nullable type)
    NonNull(Box<TypeExpr>),
    /// `'a' | 'b'`
    Union(Vec<TypeExpr>),
    /// `T.name`
    Property {
        base: Box<TypeExpr>,
        name: CompactString,
    },
    /// `T[*]`
    Items(Box<TypeExpr>),
    /// `T.*`
    AdditionalProperties(Box<TypeExpr>),
    /// `T[0]`
    Element {
        base: Box<TypeExpr>,
        index: CompactString,
    },
    /// Something that failed to parse (an error was recorded).
    Error,
}

/// A property of an object type; `name` is `None` for `*: T` (additional properties).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeProperty {
    /// Decorators on the property.
    pub decorators: Vec<Decorator>,
    /// The property name.
    pub name: Option<CompactString>,
    /// Its type.
    pub ty: TypeExpr,
}

impl Expr {
    /// An error node.
    pub fn error(span: Span) -> Expr {
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    /// The value of property `key` when `self` is an object literal.
    pub fn property(&self, key: &str) -> Option<&Expr> {
        let ExprKind::Object(items) = &self.kind else {
            return None;
        };
        items.iter().find_map(|item| match item {
            ObjectItem::Property { key: k, value, .. } if k == key => Some(value),
            _ => None,
        })
    }

    /// The loop variables a resource or module body binds (`[for (item, i) in ...: ...]`).
    pub fn loop_variables(&self) -> Vec<CompactString> {
        match &self.kind {
            ExprKind::For { item, index, .. } => {
                std::iter::once(item.clone()).chain(index.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The object a resource or module body declares, looking through `if (...)` and `[for ...]`.
    pub fn body_object(&self) -> Option<&Expr> {
        let mut expr = self;
        for _ in 0..4 {
            match &expr.kind {
                ExprKind::Object(_) => return Some(expr),
                ExprKind::If { body, .. } | ExprKind::For { body, .. } => expr = body,
                ExprKind::Paren(inner) => expr = inner,
                _ => return None,
            }
        }
        None
    }
}
