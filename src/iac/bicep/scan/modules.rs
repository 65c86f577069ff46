//! `module` declarations: each is listed as the deployment it compiles to; local modules (Bicep or ARM JSON)
//! are followed with the parameter values the caller passes; registry modules resolve by name.

use super::*;

impl Scanner<'_> {
    /// A `module` declaration is itself a deployment (`Microsoft.Resources/deployments`, which is what Bicep
    /// compiles it to), listed whether or not the module is followed, so that a template and its compiled ARM
    /// JSON list the same types.
    pub(super) fn deployment(
        &mut self,
        file: &ParsedFile,
        decl: &ModuleDecl,
        via: Option<&str>,
        condition: Condition,
    ) {
        let line = file.line_col(decl.span.start).0;
        let mut resource = Resource::new(&decl.path, &decl.name, &file.display, line);
        resource.arm_type = Some(DEPLOYMENTS.to_string());
        resource.via_module = via.map(str::to_string);
        resource.condition = condition;
        resource.scanned_from = self.unit.clone();
        resource.fingerprint = analysis::fingerprint(&decl.path, &decl.body);
        self.resources.push(resource);
    }

    /// A `module` declaration: a registry module resolves by name; a local one is followed.
    pub(super) fn module(&mut self, file: &ParsedFile, env: &Env, decl: &ModuleDecl) {
        let reference = decl.path.as_str();
        if ["br:", "br/", "ts:", "ts/"]
            .iter()
            .any(|p| reference.starts_with(p))
        {
            return self.registry_module(file, env, decl);
        }
        let at = decl.path_span.start;
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let target = lexical(&dir.join(reference));
        if !target.is_file() {
            let message = format!(
                "module '{reference}' not found (looked for {})",
                path_string(&target)
            );
            return self.report(file, at, Severity::Warning, "module-not-found", message);
        }
        self.edges
            .push((file.display.clone(), path_string(&target)));
        let given = self.module_params(env, decl);
        if target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            let strings = given
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_ref()?.as_str()?.to_string())))
                .collect();
            let found =
                crate::iac::arm::scan_template(&target, &strings, Some(reference), self.opts);
            let (unit, inherited) = (self.unit.clone(), self.inherited);
            self.resources
                .extend(found.resources.into_iter().map(|mut r| {
                    r.scanned_from = unit.clone();
                    r.condition = inherited.and(r.condition);
                    r
                }));
            self.diagnostics.extend(found.diagnostics);
            return;
        }
        // A test or sample calling an ordinary template of the scan: that template is scanned on its own and
        // from every root that reaches it, so its resources are listed from there, never with a test's
        // values. Following it here would only add copies (in a module library, three scans in four).
        if self.unit_aside && self.opts.plan.scanned_on_its_own(&target) {
            return;
        }
        let Some(id) = self.load(&target) else { return };
        let refused = if self.stack.contains(&id) {
            Some((
                "module-cycle",
                format!("module '{reference}' includes itself (a cycle); it is followed once"),
            ))
        } else if self.stack.len() >= MAX_MODULE_DEPTH {
            Some((
                "module-limit",
                format!(
                    "modules nested deeper than {MAX_MODULE_DEPTH}; '{reference}' is not followed"
                ),
            ))
        } else if self.expansions >= MAX_MODULE_EXPANSIONS {
            Some((
                "module-limit",
                format!(
                    "over {MAX_MODULE_EXPANSIONS} module expansions from one template; '{reference}' is not followed"
                ),
            ))
        } else {
            None
        };
        if let Some((code, message)) = refused {
            return self.report(file, at, Severity::Warning, code, message);
        }
        let expansion = (
            id,
            reference.to_string(),
            hash_values(&given),
            self.inherited,
            self.unit.clone(),
        );
        if !self.expanded.insert(expansion) {
            return;
        }
        self.expansions += 1;
        let rg_location = self.target_rg_location(file, env, decl);
        let outer = std::mem::replace(&mut self.rg_location, rg_location);
        self.stack.push(id);
        self.scan_file(id, &given, Some(reference));
        self.stack.pop();
        self.rg_location = outer;
    }

    /// The location of the resource group a module deploys into: the resource group its `scope:` names when
    /// this file declares it with a location (`scope: rg`), else (no `scope:`) the one this file deploys into.
    fn target_rg_location(
        &mut self,
        file: &ParsedFile,
        env: &Env,
        decl: &ModuleDecl,
    ) -> Option<String> {
        let scope = decl.body.body_object().and_then(|b| b.property("scope"));
        let name = match scope.map(|s| &s.kind) {
            None => return self.rg_location.clone(),
            Some(ExprKind::Ident(name)) => name,
            // `resourceGroup('name')`, `subscription()`, ...: a group whose location the files do not say.
            Some(_) => return None,
        };
        let location = file
            .tree
            .statements
            .iter()
            .find_map(|stmt| match &stmt.kind {
                StmtKind::Resource(r)
                    if r.name == *name
                        && !r.existing
                        && split_type(&r.type_string)
                            .0
                            .eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") =>
                {
                    r.body.body_object()?.property("location")
                }
                _ => None,
            })?;
        self.region_of(env, location).0
    }

    /// The values a module declaration passes in `params: {...}`, evaluated in the caller's scope.
    fn module_params(&self, env: &Env, decl: &ModuleDecl) -> ParamValues {
        let mark = env.shadow(decl.body.loop_variables());
        let mut given = ParamValues::new();
        let params = decl.body.body_object().and_then(|b| b.property("params"));
        if let Some(ExprKind::Object(items)) = params.map(|p| &p.kind) {
            for item in items {
                if let ObjectItem::Property { key, value, .. } = item {
                    given.insert(key.clone(), env.eval(value));
                }
            }
        }
        env.unshadow(mark);
        given
    }

    /// A registry module: one resource per type it always deploys when the module index knows it; otherwise
    /// `br/public:avm/res/<ns>/<type>:<ver>` is one resource of the type its name says; any other registry or
    /// template-spec reference is reported as not fetched.
    fn registry_module(&mut self, file: &ParsedFile, env: &Env, decl: &ModuleDecl) {
        if let Some(index) = catalog::registry_module(&decl.path) {
            return self.indexed_module(file, env, decl, index);
        }
        let Some(arm_type) = catalog::avm_bicep_module(&public_alias(&decl.path)) else {
            let message = format!(
                "module '{}' comes from a registry and is not fetched; its resources are not listed",
                decl.path
            );
            return self.report(
                file,
                decl.path_span.start,
                Severity::Info,
                "remote-module",
                message,
            );
        };
        let mut resource = Resource::new(
            &decl.path,
            &decl.name,
            &file.display,
            file.line_col(decl.span.start).0,
        );
        resource.arm_type = Some(arm_type);
        resource.via_module = Some(decl.path.clone());
        resource.scanned_from = self.unit.clone();
        resource.condition = self.inherited;
        let params = decl.body.body_object().and_then(|b| b.property("params"));
        let mark = env.shadow(decl.body.loop_variables());
        if let Some(location) = params.and_then(|p| p.property("location")) {
            let (region, placeholder) = self.region_of(env, location);
            resource.location_expr = Some(placeholder.unwrap_or_else(|| file.slice(location.span)));
            resource.location = region;
        }
        resource.kind = module_kind(env, params, resource.arm_type.as_deref());
        resource.uses_secrets = analysis::uses_secrets(&decl.body, &env.secure_params);
        resource.fingerprint = analysis::fingerprint(&decl.path, &decl.body);
        env.unshadow(mark);
        self.resources.push(resource);
    }
}

impl Scanner<'_> {
    /// A module of the index: each type it always deploys is listed at the `module` line. The location is the
    /// `location` argument passed, else the module's default (`resourceGroup().location`: the location of the
    /// resource group it deploys into, when the files say it); `kind` refines the type the module is named for.
    fn indexed_module(
        &mut self,
        file: &ParsedFile,
        env: &Env,
        decl: &ModuleDecl,
        index: &catalog::RegistryModule,
    ) {
        let line = file.line_col(decl.span.start).0;
        let params = decl.body.body_object().and_then(|b| b.property("params"));
        let mark = env.shadow(decl.body.loop_variables());
        let (location, location_expr) = match params.and_then(|p| p.property("location")) {
            Some(expr) => {
                let (region, placeholder) = self.region_of(env, expr);
                (
                    region,
                    Some(placeholder.unwrap_or_else(|| file.slice(expr.span))),
                )
            }
            None => match index.default_location() {
                catalog::DefaultLocation::None => (None, None),
                catalog::DefaultLocation::ResourceGroup => (
                    self.target_rg_location(file, env, decl),
                    Some("resourceGroup().location".to_string()),
                ),
                catalog::DefaultLocation::Expression(e) => {
                    (None, Some(e.trim_matches(['[', ']']).to_string()))
                }
                catalog::DefaultLocation::Literal(l) => (
                    catalog::region(l).map(|r| r.name.to_string()),
                    Some(l.to_string()),
                ),
            },
        };
        let named_type = catalog::avm_bicep_module(&decl.path);
        let kind = module_kind(env, params, named_type.as_deref());
        let uses_secrets = analysis::uses_secrets(&decl.body, &env.secure_params);
        let fingerprint = analysis::fingerprint(&decl.path, &decl.body);
        env.unshadow(mark);
        for arm_type in &index.always {
            let mut resource = Resource::new(&decl.path, &decl.name, &file.display, line);
            resource.arm_type = Some(arm_type.to_string());
            resource.via_module = Some(decl.path.clone());
            resource.scanned_from = self.unit.clone();
            resource.condition = self.inherited;
            resource.location = location.clone();
            resource.location_expr = location_expr.clone();
            if named_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(arm_type))
            {
                resource.kind = kind.clone();
            }
            resource.uses_secrets = uses_secrets;
            resource.fingerprint = fingerprint;
            self.resources.push(resource);
        }
    }
}

/// The kind of the resource a registry module is named for: its `kind` argument, else Front Door for a CDN
/// profile module given a Front Door sku.
fn module_kind(
    env: &Env,
    params: Option<&super::super::ast::Expr>,
    named_type: Option<&str>,
) -> Option<String> {
    let written = params
        .and_then(|p| p.property("kind"))
        .and_then(|k| env.eval(k)?.as_str().map(str::to_string));
    written.or_else(|| front_door_sku_kind(env, named_type?, params?.property("sku")))
}

/// The public registry's spelled-out form `br:mcr.microsoft.com/bicep/avm/...` as its default alias
/// `br/public:avm/...` (the same module), so both resolve by name.
fn public_alias(path: &str) -> String {
    const SPELLED_OUT: &str = "br:mcr.microsoft.com/bicep/";
    let head = path.get(..SPELLED_OUT.len());
    match path.get(SPELLED_OUT.len()..) {
        Some(rest) if head.is_some_and(|h| h.eq_ignore_ascii_case(SPELLED_OUT)) => {
            format!("br/public:{rest}")
        }
        _ => path.to_string(),
    }
}
