//! A stateful stand-in for the part of GitHub a PR run talks to: one pull request's comments (list, create,
//! edit, delete), GraphQL `minimizeComment`, and `GET /pulls/42`. Every run of the action against it sees what
//! earlier runs left, so tests can check what a sequence of runs leaves behind.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::{Request, Respond, ResponseTemplate};

/// One comment as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComment {
    pub id: u64,
    pub node_id: String,
    pub body: String,
    pub bot: bool,
    pub minimized: bool,
}

#[derive(Debug, Default)]
struct State {
    comments: Vec<StoredComment>,
    next_id: u64,
    /// `(base sha, head sha, draft)` of PR 42 for `GET /pulls/42`.
    pull: Option<(String, String, bool)>,
    /// Answer every request with 401 Bad credentials.
    reject_token: bool,
}

/// The fake; clone it into a wiremock `Mock` and keep a handle to inspect the state.
#[derive(Clone, Default)]
pub struct FakeGithub {
    state: Arc<Mutex<State>>,
}

impl FakeGithub {
    pub fn new() -> Self {
        let fake = FakeGithub::default();
        fake.state.lock().unwrap().next_id = 9000;
        fake
    }

    /// A comment already on the PR (a person's when `bot` is false).
    pub fn seed(&self, body: &str, bot: bool) -> u64 {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = s.next_id;
        s.comments.push(StoredComment {
            id,
            node_id: format!("IC_kwDOLq1x5c6{id}"),
            body: body.to_string(),
            bot,
            minimized: false,
        });
        id
    }

    pub fn set_pull(&self, base: &str, head: &str, draft: bool) {
        self.state.lock().unwrap().pull = Some((base.into(), head.into(), draft));
    }

    pub fn reject_token(&self) {
        self.state.lock().unwrap().reject_token = true;
    }

    pub fn comments(&self) -> Vec<StoredComment> {
        self.state.lock().unwrap().comments.clone()
    }

    fn json(status: u16, body: Value) -> ResponseTemplate {
        ResponseTemplate::new(status)
            .set_body_raw(body.to_string(), "application/json; charset=utf-8")
    }

    fn comment_json(c: &StoredComment) -> Value {
        json!({
            "url": format!("https://api.github.com/repos/contoso/webshop/issues/comments/{}", c.id),
            "html_url": format!("https://github.com/contoso/webshop/pull/42#issuecomment-{}", c.id),
            "issue_url": "https://api.github.com/repos/contoso/webshop/issues/42",
            "id": c.id, "node_id": c.node_id,
            "user": if c.bot {
                json!({"login": "github-actions[bot]", "id": 41898282, "type": "Bot", "site_admin": false})
            } else {
                json!({"login": "mona", "id": 583231, "type": "User", "site_admin": false})
            },
            "created_at": "2026-11-20T09:01:30Z", "updated_at": "2026-11-20T09:01:30Z",
            "author_association": if c.bot { "NONE" } else { "OWNER" },
            "body": c.body, "reactions": {"total_count": 0}, "performed_via_github_app": null
        })
    }
}

const COMMENTS: &str = "/repos/contoso/webshop/issues/42/comments";
const ONE_COMMENT: &str = "/repos/contoso/webshop/issues/comments/";

impl Respond for FakeGithub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap();
        if s.reject_token {
            return Self::json(
                401,
                json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}),
            );
        }
        let path = request.url.path().to_string();
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        match (request.method.as_str(), path.as_str()) {
            ("GET", COMMENTS) => {
                let list: Vec<Value> = s.comments.iter().map(Self::comment_json).collect();
                Self::json(200, Value::Array(list))
            }
            ("POST", COMMENTS) => {
                s.next_id += 1;
                let id = s.next_id;
                let c = StoredComment {
                    id,
                    node_id: format!("IC_kwDOLq1x5c6{id}"),
                    body: body["body"].as_str().unwrap_or_default().to_string(),
                    bot: true,
                    minimized: false,
                };
                let answer = Self::comment_json(&c);
                s.comments.push(c);
                Self::json(201, answer)
            }
            ("PATCH", p) if p.starts_with(ONE_COMMENT) => {
                let id: u64 = p[ONE_COMMENT.len()..].parse().unwrap_or(0);
                match s.comments.iter_mut().find(|c| c.id == id) {
                    Some(c) => {
                        c.body = body["body"].as_str().unwrap_or_default().to_string();
                        Self::json(200, Self::comment_json(c))
                    }
                    None => Self::json(404, json!({"message": "Not Found"})),
                }
            }
            ("DELETE", p) if p.starts_with(ONE_COMMENT) => {
                let id: u64 = p[ONE_COMMENT.len()..].parse().unwrap_or(0);
                let before = s.comments.len();
                s.comments.retain(|c| c.id != id);
                if s.comments.len() < before {
                    ResponseTemplate::new(204)
                } else {
                    Self::json(404, json!({"message": "Not Found"}))
                }
            }
            ("POST", "/graphql") => {
                let query = body["query"].as_str().unwrap_or_default();
                let id = query
                    .split("subjectId:")
                    .nth(1)
                    .and_then(|rest| rest.split('"').nth(1))
                    .unwrap_or_default()
                    .to_string();
                let ok =
                    query.contains("minimizeComment") && query.contains("classifier: OUTDATED");
                match s.comments.iter_mut().find(|c| c.node_id == id) {
                    Some(c) if ok => {
                        c.minimized = true;
                        Self::json(
                            200,
                            json!({"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}),
                        )
                    }
                    _ => Self::json(
                        200,
                        json!({"data": {"minimizeComment": null}, "errors": [{"type": "NOT_FOUND", "path": ["minimizeComment"], "message": format!("Could not resolve to a node with the global id of '{id}'")}]}),
                    ),
                }
            }
            ("GET", "/repos/contoso/webshop/pulls/42") => match &s.pull {
                Some((base, head, draft)) => Self::json(
                    200,
                    json!({
                        "url": "https://api.github.com/repos/contoso/webshop/pulls/42", "id": 2211933001u64,
                        "number": 42, "state": "open", "locked": false, "draft": draft,
                        "title": "infra: add the App Service for the storefront",
                        "user": {"login": "octocat", "type": "User"},
                        "head": {"label": "octocat:storefront", "ref": "storefront", "sha": head,
                                 "repo": {"full_name": "octocat/webshop", "fork": true}},
                        "base": {"label": "contoso:main", "ref": "main", "sha": base,
                                 "repo": {"full_name": "contoso/webshop", "fork": false}},
                        "merged": false, "mergeable": null, "comments": 0, "commits": 1
                    }),
                ),
                None => Self::json(404, json!({"message": "Not Found"})),
            },
            _ => Self::json(404, json!({"message": "Not Found", "path": path})),
        }
    }
}
