//! `web_fetch` against a local mock site.

use crate::Project;
use claurst_test_support::{MockWeb, WebResponse};
use serde_json::json;

async fn fetch(project: &Project, url: String) -> claurst_tools::ToolResult {
    project.call("web_fetch", json!({"url": url, "prompt": "the title"})).await
}

#[tokio::test]
async fn html_becomes_readable_text() {
    let web = MockWeb::start();
    web.route(
        "/page",
        WebResponse::html(
            "<html><head><title>T</title><script>track()</script></head><body><h1>Guide</h1>\
             <p>Read <a href=\"https://docs.rs/\">the docs</a>.</p><ul><li>first</li><li>second</li></ul></body></html>",
        ),
    );
    let project = Project::new();
    let result = fetch(&project, format!("{}/page", web.url())).await;
    assert!(!result.is_error, "{}", result.output);
    let text = &result.output;
    assert!(text.starts_with(&format!("Fetched {}/page (text/html, ", web.url())), "{text}");
    assert!(text.contains("converted from HTML") && text.contains("Looking for: the title"), "{text}");
    assert!(text.contains("# Guide") && text.contains("* first\n* second"), "{text}");
    assert!(text.contains("[the docs][1]") && text.contains("[1]: https://docs.rs/"), "{text}");
    assert!(!text.contains("track()") && !text.contains("<p>"), "{text}");
}

#[tokio::test]
async fn text_and_json_pass_through() {
    let web = MockWeb::start();
    web.route("/notes.md", WebResponse::new(200, "text/markdown", "# Notes\n\n*raw*"));
    web.route("/data", WebResponse::new(200, "application/json", "{\"a\": 1}"));
    web.route("/untyped", WebResponse::new(200, "", "just words"));
    let project = Project::new();
    let markdown = fetch(&project, format!("{}/notes.md", web.url())).await;
    assert!(markdown.output.ends_with("\n\n# Notes\n\n*raw*"), "{}", markdown.output);
    let data = fetch(&project, format!("{}/data", web.url())).await;
    assert!(data.output.ends_with("{\"a\": 1}"), "{}", data.output);
    let untyped = fetch(&project, format!("{}/untyped", web.url())).await;
    assert!(!untyped.is_error && untyped.output.ends_with("just words"), "{}", untyped.output);
}

#[tokio::test]
async fn redirects_are_followed_within_a_host_and_capped() {
    let web = MockWeb::start();
    web.route("/old", WebResponse::redirect(301, "/new"));
    web.route("/new", WebResponse::text("moved here"));
    web.route("/a", WebResponse::redirect(302, "/b"));
    web.route("/b", WebResponse::redirect(302, "/a"));
    let other_host = web.url().replace("127.0.0.1", "localhost");
    web.route("/away", WebResponse::redirect(302, &format!("{other_host}/new")));
    let project = Project::new();

    let moved = fetch(&project, format!("{}/old", web.url())).await;
    assert!(!moved.is_error, "{}", moved.output);
    assert!(moved.output.starts_with(&format!("Fetched {}/new ", web.url())), "{}", moved.output);
    assert!(moved.output.ends_with("moved here"));

    let looped = fetch(&project, format!("{}/a", web.url())).await;
    assert!(looped.is_error, "{}", looped.output);
    assert!(looped.output.contains("more than 10 redirects"), "{}", looped.output);
    let requests = web.requests().iter().filter(|r| r.path == "/a" || r.path == "/b").count();
    assert_eq!(requests, 11, "the first request and 10 redirects");

    let away = fetch(&project, format!("{}/away", web.url())).await;
    assert!(!away.is_error, "{}", away.output);
    assert!(away.output.contains(&format!("to {other_host}/new, on a different host")), "{}", away.output);
}

#[tokio::test]
async fn failures_and_binary_content_are_reported() {
    let web = MockWeb::start();
    web.route("/logo.png", WebResponse::new(200, "image/png", &b"\x89PNG\r\n\x1a\n\0\0"[..]));
    web.route("/blob", WebResponse::new(200, "application/octet-stream", &b"\0\x01\x02\x03"[..]));
    web.route("/boom", WebResponse::new(500, "text/plain", "database down"));
    let project = Project::new();

    let missing = fetch(&project, format!("{}/missing", web.url())).await;
    assert!(missing.is_error, "{}", missing.output);
    assert!(missing.output.contains("answered HTTP 404 Not Found"), "{}", missing.output);
    let image = fetch(&project, format!("{}/logo.png", web.url())).await;
    assert!(
        image.is_error && image.output.contains("is image/png, which web_fetch cannot return as text"),
        "{}",
        image.output
    );
    let blob = fetch(&project, format!("{}/blob", web.url())).await;
    assert!(blob.is_error && blob.output.contains("binary data"), "{}", blob.output);
    let boom = fetch(&project, format!("{}/boom", web.url())).await;
    assert!(boom.output.contains("HTTP 500") && boom.output.contains("database down"), "{}", boom.output);

    let scheme = fetch(&project, "file:///etc/passwd".into()).await;
    assert!(scheme.is_error && scheme.output.contains("only http and https"), "{}", scheme.output);
    let garbage = fetch(&project, "not a url".into()).await;
    assert!(garbage.is_error && garbage.output.contains("not a valid URL"), "{}", garbage.output);
}

#[tokio::test]
async fn large_bodies_are_cut() {
    let web = MockWeb::start();
    let body = "a line of text\n".repeat(800_000); // 12 MB
    web.route("/big.txt", WebResponse::text(&body));
    let project = Project::new();
    let result = fetch(&project, format!("{}/big.txt", web.url())).await;
    assert!(!result.is_error, "{}", &result.output[..200]);
    assert!(
        result.output.starts_with(&format!("Fetched {}/big.txt (text/plain, 10485760 bytes).", web.url())),
        "{}",
        &result.output[..200]
    );
    assert!(
        result.output.contains("[the response is larger than 10 MiB; only the first 10 MiB was downloaded]")
    );
    assert!(
        result.output.ends_with("only the first 100000 are shown]"),
        "{}",
        &result.output[result.output.len() - 200..]
    );
    assert!(result.output.len() < 101_000);
}

type Encoder = fn(&[u8]) -> Vec<u8>;

fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(body).unwrap();
    encoder.finish().unwrap()
}

fn deflate(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    // HTTP's "deflate" is the zlib format.
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(body).unwrap();
    encoder.finish().unwrap()
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &body[..], &mut out, &brotli::enc::BrotliEncoderParams::default()).unwrap();
    out
}

#[tokio::test]
async fn compressed_bodies_are_decoded() {
    let web = MockWeb::start();
    let page = "<html><body><h1>Packed</h1><p>compressed words</p></body></html>";
    let encoders: [(&str, Encoder); 3] = [("gzip", gzip), ("deflate", deflate), ("br", brotli)];
    for (encoding, encode) in encoders {
        let route = format!("/{encoding}");
        web.route(
            &route,
            WebResponse::new(200, "text/html", encode(page.as_bytes())).header("content-encoding", encoding),
        );
    }
    let project = Project::new();
    for (encoding, _) in encoders {
        let result = fetch(&project, format!("{}/{encoding}", web.url())).await;
        assert!(!result.is_error, "{encoding}: {}", result.output);
        assert!(
            result.output.contains("# Packed") && result.output.contains("compressed words"),
            "{encoding}"
        );
    }
    let asked = web.requests()[0].header("accept-encoding").unwrap_or_default().to_string();
    assert!(["gzip", "deflate", "br"].iter().all(|name| asked.contains(name)), "{asked}");
}

#[tokio::test]
async fn a_decompression_bomb_stops_at_the_size_cap() {
    use std::io::Write;
    // 256 MiB of text that compresses to a few hundred KiB: the cap must apply to what it expands to.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = "a line of text\n".repeat(70_000);
    for _ in 0..256 {
        encoder.write_all(block.as_bytes()).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 4 * 1024 * 1024, "{}", bomb.len());
    let web = MockWeb::start();
    web.route("/bomb.txt", WebResponse::new(200, "text/plain", bomb).header("content-encoding", "gzip"));
    let project = Project::new();
    let result = fetch(&project, format!("{}/bomb.txt", web.url())).await;
    assert!(!result.is_error, "{}", &result.output[..200]);
    assert!(
        result.output.starts_with(&format!("Fetched {}/bomb.txt (text/plain, 10485760 bytes).", web.url())),
        "{}",
        &result.output[..200]
    );
    assert!(result.output.contains("only the first 10 MiB was downloaded"));
}
