use claurst_test_support::MockGitHub;
use serde_json::Value;

use crate::client;

async fn get(github: &MockGitHub, path: &str, etag: Option<&str>) -> (u16, Option<String>, Value) {
    let mut request = client().get(format!("{}{path}", github.url()));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let etag = response.headers().get("etag").map(|v| v.to_str().expect("an ASCII etag").to_string());
    let body = serde_json::from_str(&response.text().await.expect("a body")).unwrap_or(Value::Null);
    (status, etag, body)
}

#[tokio::test]
async fn answers_304_while_the_etag_names_the_current_version() {
    let github = MockGitHub::start();
    github.open_pull("octo/widgets", 3, "Title", "aaa");
    let (status, etag, body) = get(&github, "/repos/octo/widgets/pulls/3", None).await;
    assert_eq!(
        (status, body["state"].as_str(), body["head"]["sha"].as_str()),
        (200, Some("open"), Some("aaa"))
    );
    let etag = etag.unwrap();
    assert_eq!(get(&github, "/repos/octo/widgets/pulls/3", Some(&etag)).await.0, 304);
    assert_eq!(github.not_modified_count(), 1);
    github.push_commit("octo/widgets", 3, "bbb", "Second");
    let (status, new_etag, body) = get(&github, "/repos/octo/widgets/pulls/3", Some(&etag)).await;
    assert_eq!((status, body["head"]["sha"].as_str()), (200, Some("bbb")));
    assert_ne!(new_etag.unwrap(), etag);
}

#[tokio::test]
async fn pages_lists_and_refuses_while_rate_limited() {
    let github = MockGitHub::start();
    github.open_pull("octo/widgets", 3, "Title", "aaa");
    for n in 0..3 {
        github.add_comment("octo/widgets", 3, "bob", &format!("c{n}"));
    }
    let (_, _, page) = get(&github, "/repos/octo/widgets/issues/3/comments?per_page=2&page=2", None).await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(page[0]["body"], "c2");
    assert_eq!(get(&github, "/repos/octo/widgets/pulls/4", None).await.0, 404);

    github.rate_limit_until(2_000_000_000);
    let response = client().get(format!("{}/repos/octo/widgets/pulls/3", github.url())).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    assert_eq!(response.headers()["x-ratelimit-reset"], "2000000000");
}
