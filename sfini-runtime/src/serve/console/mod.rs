//! The local console: a web page served beside the API, under `/console/`,
//! that shows the state machines and executions of the engine, one
//! execution's graph coloured by what happened to each state, its event
//! timeline and each state's input and output, and follows a running
//! execution live.
//!
//! The page (`index.html`, `console.css`, `console.js` beside this file) is
//! built into the binary with `include_str!` and fetches nothing from
//! elsewhere: it runs where the network is closed, and what it shows cannot
//! be changed by a third party. It reads the engine through the API the
//! server answers (`POST /` with `X-Amz-Target`), as any client would, in
//! the default region or in the one the page's `?region=` names, which its
//! requests carry in the credential scope of an unsigned `Authorization`
//! header; what it cannot get from the API is the graph of a definition,
//! which `GET /console/graph.svg` draws with [`sfini_core::graph`], and the
//! regions served, which `GET /console/regions` lists.
//!
//! Only `GET` and `HEAD` are answered here (anything else is `405`), with
//! no request body (`413`), a request target of at most
//! [`MAX_TARGET_BYTES`] (`414`), and `404` for any path that is not one of
//! the page's. Every answer forbids scripts from anywhere but the console
//! itself, inline ones too, and any other origin (`Content-Security-Policy`),
//! and sniffing of content types; the page writes what the engine holds
//! (names, JSON, errors) as text, never as markup.

mod graph;

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    ALLOW, CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    HeaderValue, LOCATION, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use hyper::{Method, Request, Response, StatusCode};
use tracing::Instrument;

use super::region::Engines;

/// Where the console is served: `/console/` and the paths below it.
pub(crate) const PREFIX: &str = "/console";

/// The longest request target (path and query) the console reads, in
/// bytes; a longer one is answered `414 URI Too Long`. Room for a query
/// naming one execution or machine by an ARN of the API's longest (2,048
/// characters), even with some of it percent-encoded.
pub(crate) const MAX_TARGET_BYTES: usize = 8192;

/// The page.
const INDEX_HTML: &str = include_str!("index.html");
/// Its style sheet.
const CONSOLE_CSS: &str = include_str!("console.css");
/// Its script.
const CONSOLE_JS: &str = include_str!("console.js");

/// What the console's answers allow the browser to load: the console's own
/// script and style sheet, and API calls to the same server; no frames, no
/// plugins, no inline scripts. Inline styles are allowed for the graph's
/// own `<style>` element, which the page takes in with the graph.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                      img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                      form-action 'none'; frame-ancestors 'none'";

/// True for a request the console answers: one for `/console` or a path
/// below it that names no API operation (a request with an
/// `X-Amz-Target` header is the API's, whatever its path).
pub(crate) fn is_console_request<B>(request: &Request<B>) -> bool {
    if request.headers().contains_key("x-amz-target") {
        return false;
    }
    let path = request.uri().path();
    path == PREFIX
        || path
            .strip_prefix(PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Answers a console request (see [`is_console_request`]), whose body, if
/// any, must arrive within `body_read_timeout`.
pub(crate) async fn answer(
    engines: Arc<Engines>,
    request: Request<Incoming>,
    body_read_timeout: Duration,
) -> Response<Full<Bytes>> {
    let span = tracing::info_span!(
        "console",
        method = %request.method(),
        path = %truncated(request.uri().path(), 100),
    );
    async move {
        let response = route(engines, request, body_read_timeout).await;
        tracing::debug!(status = response.status().as_u16(), "answered");
        response
    }
    .instrument(span)
    .await
}

/// The answer to a console request.
async fn route(
    engines: Arc<Engines>,
    request: Request<Incoming>,
    body_read_timeout: Duration,
) -> Response<Full<Bytes>> {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "the console answers GET and HEAD only; the API is `POST /` with an X-Amz-Target \
             header\n",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return closing(response);
    }
    let target_length = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target_length > MAX_TARGET_BYTES {
        return closing(text(
            StatusCode::URI_TOO_LONG,
            &format!(
                "the request target is {target_length} bytes long; the console reads at most \
                 {MAX_TARGET_BYTES}\n"
            ),
        ));
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let headers = request.headers().clone();
    if let Err(response) = no_body(request, body_read_timeout).await {
        return response;
    }
    match path.as_str() {
        // The page's links are relative to `/console/`.
        "/console" => {
            let mut response = text(
                StatusCode::PERMANENT_REDIRECT,
                "the console is at /console/\n",
            );
            response
                .headers_mut()
                .insert(LOCATION, HeaderValue::from_static("/console/"));
            response
        }
        "/console/" | "/console/index.html" => asset(INDEX_HTML, "text/html; charset=utf-8"),
        "/console/console.css" => asset(CONSOLE_CSS, "text/css; charset=utf-8"),
        "/console/console.js" => asset(CONSOLE_JS, "text/javascript; charset=utf-8"),
        "/console/regions" => regions(&engines),
        "/console/graph.svg" => match engines.for_request(&headers) {
            Ok((engine, _)) => graph::answer(engine.as_ref(), &query).await,
            Err(error) => text(StatusCode::FORBIDDEN, &format!("{}\n", error.message)),
        },
        _ => text(
            StatusCode::NOT_FOUND,
            "no such page of the console; it is at /console/\n",
        ),
    }
}

/// Reads the request's body, which must be empty: anything in it is
/// refused (`413`), as is a body that does not end within `timeout`
/// (`408`), and the connection is closed after either.
async fn no_body(
    request: Request<Incoming>,
    timeout: Duration,
) -> Result<(), Response<Full<Bytes>>> {
    let too_large = || {
        closing(text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the console's requests have no body\n",
        ))
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared.is_some_and(|length| length > 0) {
        return Err(too_large());
    }
    let body = Limited::new(request.into_body(), 0).collect();
    match tokio::time::timeout(timeout, body).await {
        Err(_) => Err(closing(text(
            StatusCode::REQUEST_TIMEOUT,
            "the request's body did not end in time\n",
        ))),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(_)) => Err(closing(text(
            StatusCode::BAD_REQUEST,
            "the request's body could not be read\n",
        ))),
    }
}

/// `GET /console/regions`: the region of unsigned requests and the regions
/// served so far, for the page's choice of region, as JSON
/// (`{"defaultRegion": "us-east-1", "regions": ["eu-west-1", "us-east-1"]}`);
/// a server with one engine for every region names none
/// (`{"defaultRegion": null, "regions": []}`).
fn regions(engines: &Engines) -> Response<Full<Bytes>> {
    let body = match engines {
        Engines::Regional(engines) => serde_json::json!({
            "defaultRegion": engines.default_region(),
            "regions": engines.regions(),
        }),
        Engines::One(_) => serde_json::json!({"defaultRegion": null, "regions": []}),
    };
    response(
        StatusCode::OK,
        Bytes::from(body.to_string()),
        "application/json",
    )
}

/// One of the page's files.
fn asset(body: &'static str, content_type: &'static str) -> Response<Full<Bytes>> {
    response(
        StatusCode::OK,
        Bytes::from_static(body.as_bytes()),
        content_type,
    )
}

/// A plain-text answer.
fn text(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    response(
        status,
        Bytes::from(message.to_string()),
        "text/plain; charset=utf-8",
    )
}

/// An answer with the console's headers.
fn response(status: StatusCode, body: Bytes, content_type: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // The page changes with the binary, and the graph with the engine.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `response`, after which the connection is closed.
fn closing(mut response: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// At most the first `limit` characters of `text`, for the logs.
fn truncated(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The value of `name` in a query string (`a=1&b=2`), percent-decoded
/// (`+` read as a space); `None` when it is missing, given twice, or not
/// UTF-8 once decoded.
fn query_value(query: &str, name: &str) -> Option<String> {
    let mut found = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if percent_decoded(key).as_deref() == Some(name) {
            if found.is_some() {
                return None;
            }
            found = Some(percent_decoded(value)?);
        }
    }
    found
}

/// `text` with its `%XX` escapes decoded and `+` read as a space; `None`
/// for a malformed escape or bytes that are not UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(byte) = input.next() {
        match byte {
            b'%' => {
                let high = hex_digit(input.next()?)?;
                let low = hex_digit(input.next()?)?;
                bytes.push(high << 4 | low);
            }
            b'+' => bytes.push(b' '),
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

/// The value of one hexadecimal digit.
fn hex_digit(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, uri: &str, target: Option<&str>) -> Request<()> {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(target) = target {
            builder = builder.header("X-Amz-Target", target);
        }
        builder.body(()).expect("a valid request")
    }

    #[test]
    fn console_paths_without_a_target_are_the_console_s() {
        for uri in [
            "/console",
            "/console/",
            "/console/console.js",
            "/console/nothing?x=1",
        ] {
            assert!(
                is_console_request(&request(Method::GET, uri, None)),
                "{uri}"
            );
            assert!(
                is_console_request(&request(Method::POST, uri, None)),
                "{uri}"
            );
            assert!(
                !is_console_request(&request(
                    Method::POST,
                    uri,
                    Some("AWSStepFunctions.ListStateMachines")
                )),
                "{uri}"
            );
        }
        for uri in ["/", "/consoles", "/console.js", "/x/console/", "/?console"] {
            assert!(
                !is_console_request(&request(Method::GET, uri, None)),
                "{uri}"
            );
        }
    }

    #[test]
    fn query_values_are_percent_decoded() {
        let arn = "arn:aws:states:us-east-1:123456789012:execution:m:e";
        let query =
            "executionArn=arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3Am%3Ae";
        assert_eq!(query_value(query, "executionArn").as_deref(), Some(arn));
        assert_eq!(query_value("a=1&b=x+y%21", "b").as_deref(), Some("x y!"));
        assert_eq!(query_value("a=1", "b"), None);
        assert_eq!(query_value("a=1&a=2", "a"), None, "given twice");
        assert_eq!(query_value("a=%zz", "a"), None, "malformed escape");
        assert_eq!(query_value("a=%4", "a"), None, "cut escape");
        assert_eq!(query_value("a=%ff", "a"), None, "not UTF-8");
        assert_eq!(query_value("a", "a").as_deref(), Some(""));
    }

    #[test]
    fn the_page_names_only_its_own_assets() {
        assert!(INDEX_HTML.contains("src=\"console.js\""));
        assert!(INDEX_HTML.contains("href=\"console.css\""));
        for asset in [INDEX_HTML, CONSOLE_CSS, CONSOLE_JS] {
            assert!(!asset.contains("http://"), "no external asset");
            assert!(!asset.contains("https://"), "no external asset");
        }
        for markup in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(
                !CONSOLE_JS.contains(markup),
                "{markup}: text only, never markup"
            );
        }
    }
}
