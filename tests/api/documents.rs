//! Documents: the permit's print view, DOCX and PDF come from one model and
//! say the same; the site plan marks the works; the verification link is the
//! configured public address; the PDF is small and titled in UTF-8.

use std::io::Read;

use serde_json::json;

use crate::fixtures::*;
use crate::permits::{act_ok, apply, under_review};
use crate::support::{TestApp, spawn_app, spawn_app_with};

/// A street through the fixture's site, so the plan and the permit name it.
async fn street_through_the_site(app: &TestApp) {
    sqlx::query(
        "insert into street (name, class, geom) values
           ('Hai Bà Trưng', 'main', ST_GeomFromText('LINESTRING(108.795 15.1152, 108.805 15.1152)', 4326)),
           ('Lê Lợi', 'secondary', ST_GeomFromText('LINESTRING(108.8012 15.110, 108.8012 15.120)', 4326))",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

/// Grants a tower permit; its id.
async fn granted(admin: &TestApp) -> (i64, TestApp) {
    street_through_the_site(admin).await;
    let (id, vnpt, reviewer) = under_review(admin).await;
    act_ok(
        &reviewer,
        id,
        "grant",
        json!({"conditions": "Sơn cột màu xanh; treo biển chủ sở hữu"}),
    )
    .await;
    (id, vnpt)
}

async fn bytes(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(session) = &app.session {
        request = request.header("Cookie", &session.cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// The text of `word/document.xml`, one string per paragraph.
fn docx_paragraphs(docx: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            for piece in p.split("<w:t").skip(1) {
                // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl…>` or `<w:tc…>`.
                if !(piece.starts_with('>') || piece.starts_with(' ')) {
                    continue;
                }
                let content = piece.split_once('>').map(|(_, rest)| rest).unwrap_or("");
                text.push_str(content.split("</w:t>").next().unwrap_or(""));
            }
            unescape(&text)
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The visible text of an HTML page (tags dropped, entities decoded).
fn html_text(html: &str) -> String {
    let body = html.split("<main").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    let mut in_svg = 0;
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<svg") {
            in_svg += 1;
        } else if rest.starts_with("</svg>") {
            in_svg -= 1;
        }
        match c {
            '<' => {
                in_tag = true;
                // Block elements end words; inline ones (<b>, <i>, <a>) do not.
                let name: String = rest[1..]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if !["b", "i", "a", "span"].contains(&name.as_str()) {
                    text.push(' ');
                }
            }
            '>' => in_tag = false,
            c if !in_tag && in_svg == 0 => text.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    unescape(&text)
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text without white space or hyphens (pdftotext joins words hyphenated at a line's end).
fn no_spaces(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("hatang-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.pdf", pdf.len()));
    std::fs::write(&file, pdf).unwrap();
    // -raw: in the order LibreOffice wrote it, so the two columns of the
    // closing (recipients, signature) do not interleave.
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by make test-deps)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_permit_says_the_same_in_html_docx_and_pdf() {
    let admin = spawn_app().await;
    let (id, vnpt) = granted(&admin).await;
    let application = vnpt.get(&format!("/api/v1/permits/{id}")).await;
    let number = application.body["permit_number"]
        .as_str()
        .unwrap()
        .to_string();
    let granted_on: String = sqlx::query_scalar(
        "select to_char(day, 'DD') || ' tháng ' || (extract(month from day))::int || ' năm ' || extract(year from day)
         from permit_event where application_id = $1 and action = 'grant'",
    )
    .bind(id)
    .fetch_one(&admin.pool)
    .await
    .unwrap();

    let (status, content_type, html) =
        bytes(&vnpt, &format!("/api/v1/permits/{id}/permit.html")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    let html = String::from_utf8(html).unwrap();
    let (status, content_type, docx) =
        bytes(&vnpt, &format!("/api/v1/permits/{id}/permit.docx")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&docx));
    assert!(content_type.contains("wordprocessingml"), "{content_type}");
    let (status, content_type, pdf) =
        bytes(&vnpt, &format!("/api/v1/permits/{id}/permit.pdf")).await;
    assert_eq!(
        status,
        200,
        "{}",
        String::from_utf8_lossy(&pdf[..pdf.len().min(400)])
    );
    assert_eq!(content_type, "application/pdf");

    // Kept for people to look at (test-artifacts/ is not committed).
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts");
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::write(artifacts.join("permit.pdf"), &pdf);
    let _ = std::fs::write(artifacts.join("permit.docx"), &docx);
    let _ = std::fs::write(artifacts.join("permit.html"), &html);

    let paragraphs = docx_paragraphs(&docx);
    let html_text = squeeze(&html_text(&html));
    let pdf_text = no_spaces(&pdf_text(&pdf));
    // Every paragraph of the DOCX is in the print view and in the PDF.
    for paragraph in &paragraphs {
        assert!(
            html_text.contains(&squeeze(paragraph)),
            "the print view lacks {paragraph:?}:\n{html_text}"
        );
        assert!(
            pdf_text.contains(&no_spaces(paragraph)),
            "the PDF lacks {paragraph:?}"
        );
    }
    // And what the permit must say is there: the form's parts, Vietnamese dates and numbers.
    let all = paragraphs.join("\n");
    for expected in [
        "ỦY BAN NHÂN DÂN PHƯỜNG CHÁNH LỘ".to_string(),
        format!("Số: {number}"),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        "Độc lập - Tự do - Hạnh phúc".into(),
        format!("Chánh Lộ, ngày {granted_on}"),
        "GIẤY PHÉP XÂY DỰNG".into(),
        "(Sử dụng cho công trình không theo tuyến)".into(),
        "Căn cứ Nghị định số 140/2025/NĐ-CP".into(),
        "Căn cứ Luật Xây dựng".into(),
        "Tập đoàn Bưu chính Viễn thông Việt Nam".into(),
        "Chiều cao cột: 40,0 m.".into(),
        "gần đường Hai Bà Trưng, phường Chánh Lộ, tỉnh Quảng Ngãi".into(),
        "Sơn cột màu xanh".into(),
        "Nơi nhận:".into(),
        "- Sở Xây dựng tỉnh Quảng Ngãi;".into(),
        "TM. ỦY BAN NHÂN DÂN".into(),
        "CHỦ TỊCH".into(),
        "CHỦ ĐẦU TƯ PHẢI THỰC HIỆN CÁC NỘI DUNG SAU ĐÂY:".into(),
        "SƠ ĐỒ VỊ TRÍ CÔNG TRÌNH".into(),
        "Mã xác thực: ".into(),
    ] {
        assert!(
            all.contains(&expected),
            "the permit says {expected:?}:\n{all}"
        );
    }
    assert!(!all.contains("PHƯỜNG PHƯỜNG"), "{all}");
    let datelike = regex_free_slash_dates(&all);
    assert!(
        datelike.iter().all(|d| d.len() == 10),
        "dates are dd/mm/yyyy: {datelike:?}"
    );

    // The PDF: small enough to e-mail, titled in UTF-8, the print view's QR code and plan inside.
    assert!(pdf.len() < 600 * 1024, "the PDF is {} bytes", pdf.len());
    let info = std::process::Command::new("pdfinfo")
        .arg("-enc")
        .arg("UTF-8")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&pdf)?;
            child.wait_with_output()
        })
        .expect("pdfinfo");
    let info = String::from_utf8(info.stdout).unwrap();
    let title = info
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .map(str::trim);
    assert_eq!(
        title,
        Some(format!("Giấy phép xây dựng số {number}").as_str()),
        "{info}"
    );
    assert!(
        html.contains(r#"class="site-marker""#),
        "the plan marks the point site"
    );
    assert!(html.contains("Tỷ lệ 1:"), "the plan has a scale");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx.as_slice())).unwrap();
    let media = (0..archive.len())
        .filter(|i| {
            let entry = archive.by_index(*i).unwrap();
            entry.name().starts_with("word/media/") && entry.name().ends_with(".png")
        })
        .count();
    assert_eq!(
        media, 2,
        "the site plan and the QR code are pictures in the DOCX"
    );
}

/// Slash-separated dates in `text` (`04/01/2027`).
fn regex_free_slash_dates(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',' || c == ';')
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| {
            w.matches('/').count() == 2 && w.chars().all(|c| c.is_ascii_digit() || c == '/')
        })
        .map(String::from)
        .collect()
}

#[tokio::test]
async fn the_verification_link_is_the_public_url_not_the_requests_host() {
    let admin = spawn_app_with(|config| {
        config.public_url = Some("https://hatang.quangngai.example.vn/".parse().unwrap())
    })
    .await;
    let (id, vnpt) = granted(&admin).await;
    let reply = vnpt
        .send(
            vnpt.client
                .get(vnpt.url(&format!("/api/v1/permits/{id}/permit.html")))
                .header("Host", "attacker.example"),
        )
        .await;
    assert_eq!(reply.status, 200);
    let path = vnpt.get(&format!("/api/v1/permits/{id}")).await.body["verification"]["path"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("https://hatang.quangngai.example.vn{path}");
    assert!(
        unescape(&reply.text).contains(&format!("<a href=\"{url}\">{url}</a>")),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("attacker.example"));
    assert!(!reply.text.contains("127.0.0.1"));
}

#[tokio::test]
async fn production_refuses_to_print_without_a_public_url() {
    let admin = spawn_app_with(|config| config.public_url_required = true).await;
    let (id, vnpt) = granted(&admin).await;
    for format in ["html", "docx", "pdf"] {
        let reply = vnpt
            .get(&format!("/api/v1/permits/{id}/permit.{format}"))
            .await;
        assert_eq!(reply.status, 503, "{format}: {}", reply.text);
        assert_eq!(reply.error_code(), "service_unavailable");
        assert_eq!(reply.body["error"]["reason"], "public_url_missing");
        assert!(reply.text.contains("--public-url"), "{}", reply.text);
    }
    // The application itself still reads, with its code and the public check's path.
    let application = vnpt.get(&format!("/api/v1/permits/{id}")).await;
    assert_eq!(application.status, 200);
    assert!(application.body["verification"]["path"].is_string());
}

#[tokio::test]
async fn a_route_permit_names_its_streets_length_and_ends() {
    let admin = spawn_app().await;
    street_through_the_site(&admin).await;
    let vnpt = admin.as_user("vnpt").await;
    let reviewer = admin.as_user("reviewer").await;
    let created = apply(
        &vnpt,
        &json!({
            "works_type": "duct",
            "title": "Cống bể cáp đường Hai Bà Trưng",
            "description": "",
            "geometry": line(&[[108.7960, 15.1152], [108.8040, 15.1152]]),
            "planned_start": "2027-01-04",
            "planned_end": "2027-03-31",
            "proposed_assets": []
        }),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    for (who, action) in [
        (&vnpt, "submit"),
        (&reviewer, "begin_check"),
        (&reviewer, "accept"),
        (&reviewer, "grant"),
    ] {
        act_ok(who, id, action, json!({})).await;
    }
    let html = vnpt.get(&format!("/api/v1/permits/{id}/permit.html")).await;
    assert_eq!(html.status, 200, "{}", html.text);
    let text = squeeze(&html_text(&html.text));
    for expected in [
        "(Sử dụng cho công trình theo tuyến)",
        "Hướng tuyến: dọc theo đường Hai Bà Trưng.",
        "Tổng chiều dài tuyến: 859,",
        "Tọa độ đầu tuyến: X = ",
        "kinh tuyến trục 108°00′",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(html.text.contains(r#"class="site-line""#));
    assert!(html.text.contains("Đầu tuyến") && html.text.contains("Cuối tuyến"));
}
