//! Type expressions: names, literal types, unions (a leading `|` allowed, members on separate lines),
//! `T[]`, `T?`, `T!`, object types with decorated properties and `*: T`, tuples, `resource 'Type@ver'`,
//! `resourceInput<'Type@ver'>` (also `sys.`-qualified), and the accessors `T.name`, `T[*]`, `T.*`, `T[0]`.

use super::ast::*;
use super::expr::{CLOSE_BRACE, CLOSE_BRACKET};
use super::lexer::TokenKind;
use super::lists::{Close, Separators};
use super::parser::Parser;

impl Parser<'_> {
    /// A type expression (a union or a single member).
    pub(super) fn type_expr(&mut self) -> TypeExpr {
        let start = self.span();
        if !self.enter() {
            return TypeExpr {
                kind: TypeKind::Error,
                span: start,
            };
        }
        if self.peek_past_newlines() == &TokenKind::Pipe {
            // `(\n  | 'a'\n  | 'b')`: the leading `|` may sit on the next line.
            self.skip_newlines();
            self.bump();
            self.skip_newlines();
        }
        let first = self.type_postfix();
        let ty = if self.peek_past_newlines() == &TokenKind::Pipe {
            let mut members = vec![first];
            while self.peek_past_newlines() == &TokenKind::Pipe && !self.bailing {
                self.skip_newlines();
                self.bump();
                self.skip_newlines();
                members.push(self.type_postfix());
            }
            TypeExpr {
                kind: TypeKind::Union(members),
                span: start.to(self.prev_span()),
            }
        } else {
            first
        };
        self.leave();
        ty
    }

    fn type_postfix(&mut self) -> TypeExpr {
        let mut ty = self.type_primary();
        let mut levels = 0;
        let ty = loop {
            let start = ty.span;
            if !matches!(
                self.peek(),
                TokenKind::LBracket | TokenKind::Question | TokenKind::Dot | TokenKind::Bang
            ) || !self.enter()
            {
                break ty;
            }
            levels += 1;
            let kind = match (self.peek(), &self.nth(1).kind) {
                (TokenKind::LBracket, TokenKind::RBracket) => {
                    self.bump();
                    self.bump();
                    TypeKind::Array(Box::new(ty))
                }
                (TokenKind::LBracket, TokenKind::Star) => {
                    self.bump();
                    self.bump();
                    self.expect(&TokenKind::RBracket, "']'");
                    TypeKind::Items(Box::new(ty))
                }
                (TokenKind::LBracket, TokenKind::Int) => {
                    self.bump();
                    let index = self.bump();
                    self.expect(&TokenKind::RBracket, "']'");
                    let index = self.slice(index);
                    TypeKind::Element {
                        base: Box::new(ty),
                        index,
                    }
                }
                (TokenKind::Question, _) => {
                    self.bump();
                    TypeKind::Nullable(Box::new(ty))
                }
                (TokenKind::Bang, _) => {
                    self.bump();
                    TypeKind::NonNull(Box::new(ty))
                }
                (TokenKind::Dot, TokenKind::Star) => {
                    self.bump();
                    self.bump();
                    TypeKind::AdditionalProperties(Box::new(ty))
                }
                (TokenKind::Dot, _) => {
                    self.bump();
                    let Some(name) = self.expect_ident("a property name after '.'") else {
                        break ty;
                    };
                    TypeKind::Property {
                        base: Box::new(ty),
                        name,
                    }
                }
                _ => break ty,
            };
            ty = TypeExpr {
                kind,
                span: start.to(self.prev_span()),
            };
        };
        (0..levels).for_each(|_| self.leave());
        ty
    }

    fn type_primary(&mut self) -> TypeExpr {
        let start = self.span();
        let kind = match self.peek() {
            TokenKind::Ident => return self.type_name(),
            TokenKind::String(_)
            | TokenKind::StringHead(_)
            | TokenKind::Int
            | TokenKind::Minus
            | TokenKind::Bang => TypeKind::Literal(self.unary()),
            TokenKind::LBrace => self.object_type(),
            TokenKind::LBracket => self.tuple_type(),
            TokenKind::LParen => {
                self.bump();
                self.skip_newlines();
                let inner = self.type_expr();
                self.skip_newlines();
                self.expect(&TokenKind::RParen, "')'");
                return inner;
            }
            _ => {
                self.error("expected a type");
                return TypeExpr {
                    kind: TypeKind::Error,
                    span: Span {
                        start: start.start,
                        end: start.start,
                    },
                };
            }
        };
        TypeExpr {
            kind,
            span: start.to(self.prev_span()),
        }
    }

    /// `string`, `true`, `resource 'T@v'`, `resourceInput<'T@v'>`.
    fn type_name(&mut self) -> TypeExpr {
        let start = self.span();
        let word = CompactString::from(self.word_at(0).unwrap_or_default());
        if word == "resource" && matches!(self.nth(1).kind, TokenKind::String(_)) {
            self.bump();
            let ty = self.take_string();
            return TypeExpr {
                kind: TypeKind::Resource(ty),
                span: start.to(self.prev_span()),
            };
        }
        if matches!(word.as_str(), "true" | "false" | "null") {
            let value = self.unary();
            return TypeExpr {
                kind: TypeKind::Literal(value),
                span: start.to(self.prev_span()),
            };
        }
        self.bump();
        let mut word = word;
        if self.at(&TokenKind::Dot)
            && self.word_at(1).is_some()
            && self.nth(2).kind == TokenKind::Lt
        {
            // `sys.resourceInput<'T@v'>`: a namespace-qualified generic.
            self.bump();
            word = compact_str::format_compact!("{word}.{}", self.word_at(0).unwrap_or_default());
            self.bump();
        }
        if !self.at(&TokenKind::Lt) {
            return TypeExpr {
                kind: TypeKind::Name(word),
                span: start,
            };
        }
        self.bump();
        let mut args = Vec::new();
        let close = Close {
            token: TokenKind::Gt,
            text: ">",
        };
        self.delimited(&close, Separators::Commas("expected ',' or '>'"), |p| {
            args.push(p.type_expr());
        });
        TypeExpr {
            kind: TypeKind::Generic { name: word, args },
            span: start.to(self.prev_span()),
        }
    }

    fn object_type(&mut self) -> TypeKind {
        self.bump();
        let mut properties = Vec::new();
        self.delimited(&CLOSE_BRACE, Separators::Lines("properties"), |p| {
            properties.extend(p.type_property());
        });
        TypeKind::Object(properties)
    }

    /// One property of an object type: `name: type`, `'quoted name': type` or `*: type`, with decorators.
    fn type_property(&mut self) -> Option<TypeProperty> {
        let decorators = self.item_decorators();
        let name = match self.peek() {
            TokenKind::Star => {
                self.bump();
                None
            }
            TokenKind::Ident => {
                let name = self.word_at(0).map(CompactString::from);
                self.bump();
                name
            }
            TokenKind::String(_) => Some(self.take_string()),
            _ => return self.bad_property_name(),
        };
        if !self.property_colon() {
            return None;
        }
        Some(TypeProperty {
            decorators,
            name,
            ty: self.type_expr(),
        })
    }

    fn tuple_type(&mut self) -> TypeKind {
        self.bump();
        let mut items = Vec::new();
        self.delimited(&CLOSE_BRACKET, Separators::Lines("tuple items"), |p| {
            p.item_decorators();
            items.push(p.type_expr());
        });
        TypeKind::Tuple(items)
    }

    /// Decorators of a tuple item or object-type property. On one line they may be separated from the item
    /// by a comma as well as a space (`[@discriminator('type'), typeA | typeB, string]`).
    fn item_decorators(&mut self) -> Vec<Decorator> {
        let decorators = self.decorators();
        if !decorators.is_empty() && self.eat(&TokenKind::Comma) {
            self.skip_newlines();
        }
        decorators
    }
}
