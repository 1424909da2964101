use claurst_test_support::{MockWeb, WebResponse};

use crate::client;

#[tokio::test]
async fn routes_are_served() {
    let web = MockWeb::start();
    web.route("/page", WebResponse::html("<h1>Hello</h1>"));
    web.route("/data.bin", WebResponse::new(200, "application/octet-stream", vec![0u8, 1, 2, 255]));

    let page = client().get(format!("{}/page?q=1", web.url())).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.text().await.unwrap(), "<h1>Hello</h1>");

    let data = client().get(format!("{}/data.bin", web.url())).send().await.unwrap();
    assert_eq!(data.bytes().await.unwrap().as_ref(), [0u8, 1, 2, 255]);
    assert_eq!(web.requests()[0].path, "/page?q=1");
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let web = MockWeb::start();
    let response = client().get(format!("{}/missing", web.url())).send().await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn redirects_are_followed_or_shown() {
    let web = MockWeb::start();
    web.route("/old", WebResponse::redirect(301, "/new"));
    web.route("/new", WebResponse::text("moved here"));

    let followed = client().get(format!("{}/old", web.url())).send().await.unwrap();
    assert_eq!(followed.url().path(), "/new");
    assert_eq!(followed.text().await.unwrap(), "moved here");

    let manual = claurst_http::client_builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let shown = manual.get(format!("{}/old", web.url())).send().await.unwrap();
    assert_eq!(shown.status(), 301);
    assert_eq!(shown.headers()["location"], "/new");
}
