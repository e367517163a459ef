//! Path templates: the client sends `base_url + template`, so a template is
//! trusted to stay a path under the base URL.
//!
//! OpenAPI requires templates to begin with `/`. Without it,
//! `@evil.example/steal` turns `https://api.example` into a URL whose host is
//! `evil.example` (the base's host becomes user info), and the client sends
//! the bearer token there. Dot segments (`/../admin`) climb out of the base
//! path once a URL parser resolves them, and a malformed `{parameter}` leaves
//! braces in the URL or drops a value.

/// Why `template` is not a usable path template, if it is not.
pub fn template_problem(template: &str) -> Option<String> {
    if !template.starts_with('/') {
        return Some(format!("path `{template}` does not begin with `/`; OpenAPI path templates are relative to the server URL and must start with `/`"));
    }
    // A fixed query (`/responses?beta=true`) is sent as written; only the path part holds parameters and segments.
    let path = template.split_once('?').map_or(template, |(path, _)| path);
    for segment in path.split('/') {
        if segment == "." || segment == ".." {
            return Some(format!(
                "path `{template}` has a `{segment}` segment, which would leave the server's base path once resolved"
            ));
        }
        if let Some(problem) = segment_parameter_problem(segment) {
            return Some(format!("path `{template}` {problem}"));
        }
    }
    None
}

/// Checks that the braces of one segment pair up around non-empty names.
fn segment_parameter_problem(segment: &str) -> Option<&'static str> {
    let mut open_name: Option<usize> = None;
    for c in segment.chars() {
        match (c, open_name) {
            ('{', None) => open_name = Some(0),
            ('{', Some(_)) => return Some("opens a `{` inside a parameter name"),
            ('}', None) => return Some("has a `}` without a matching `{`"),
            ('}', Some(0)) => return Some("has a parameter with an empty name `{}`"),
            ('}', Some(_)) => open_name = None,
            (_, Some(length)) => open_name = Some(length + 1),
            (_, None) => {}
        }
    }
    open_name.map(|_| "has a `{` without a matching `}` (a parameter name cannot contain `/`)")
}

#[cfg(test)]
mod tests {
    use super::template_problem;

    #[test]
    fn ordinary_templates_pass() {
        for template in [
            "/",
            "/uploads/{upload_id}/parts",
            "/v1/{a}.{b}",
            "/responses?beta=true",
            "/files/{file_id}/content",
            "/a.b/..c/.d",
        ] {
            assert_eq!(template_problem(template), None, "{template}");
        }
    }

    #[test]
    fn templates_that_leave_the_base_url_or_break_parameters_are_refused() {
        let cases = [
            ("@127.0.0.1:38472/steal", "does not begin with `/`"),
            ("", "does not begin with `/`"),
            ("uploads", "does not begin with `/`"),
            ("/../admin/{x}", "has a `..` segment"),
            ("/a/./b", "has a `.` segment"),
            ("/a/..", "has a `..` segment"),
            ("/a/{id", "without a matching `}`"),
            ("/a/{id/x}", "without a matching `}`"),
            ("/a/id}", "without a matching `{`"),
            ("/b/{}/c", "empty name"),
            ("/b/{a{b}}", "inside a parameter name"),
        ];
        for (template, problem) in cases {
            let message = template_problem(template).unwrap_or_default();
            assert!(message.contains(problem), "{template}: {message}");
        }
    }
}
