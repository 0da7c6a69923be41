"""The pages as a person uses them, in a real browser: headless Chromium (Debian's, driven by Playwright) against a
running server. Every page loads, takes input, shows the result, answers bad input with a Chinese message, and
fits a 390 px phone screen without sideways scrolling. `make test` installs chromium and fonts-wqy-microhei when
they are missing; without them (or without Playwright) these tests are skipped with the reason."""
import shutil

import pytest

from benchmarks.common import running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
              pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[test]')")]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import os
    old = os.environ.get("WENZHEN_DATA_DIR")
    os.environ["WENZHEN_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))  # the server's interview database
    try:
        with running_server() as url:
            yield url
    finally:
        if old is None:
            os.environ.pop("WENZHEN_DATA_DIR", None)
        else:
            os.environ["WENZHEN_DATA_DIR"] = old


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_complaint_page(server, page):
    page.goto(f"{server}/")
    page.click("#go")  # empty: a Chinese message, no request
    assert "请先" in page.inner_text("#out")
    page.fill("#text", "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")
    page.click("#go")
    page.wait_for_selector("#level")
    level = page.inner_text("#level")
    assert "II级" in level and "120" in level
    out = page.inner_text("#out")
    assert "胸痛中心" in out and ("较可能" in out or "有可能" in out)  # the likelihood labels the CLI shows
    assert page.query_selector("#selfcare") is None  # no home care beside an emergency
    assert no_sideways_scroll(page)
    page.fill("#text", "我对布洛芬过敏，昨天崴脚了，脚踝有点肿，还能走路")
    page.click("#go")
    page.wait_for_selector("#selfcare")
    care = page.inner_text("#selfcare")
    assert "对乙酰氨基酚" in care and "过敏" in care  # ibuprofen listed as not for this patient, with the reason
    assert no_sideways_scroll(page)


def test_report_page(server, page):
    page.goto(f"{server}/report")
    page.click("#go")
    assert "请先" in page.inner_text("#out")
    page.fill("#text", "钾 K 6.8 mmol/L 3.5-5.3\n血红蛋白 HGB 98 g/L 130-175\n肌酐 CREA 560 umol/L 57-111")
    page.click("#go")
    page.wait_for_selector("#items")
    assert "危急" in page.inner_text("#items") and "急诊" in page.inner_text("#summary")
    assert no_sideways_scroll(page)
    page.set_input_files("#file", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}])
    page.click("#go")
    page.wait_for_selector(".err")
    assert "没能" in page.inner_text("#out")  # the server's 422, said in Chinese


def test_medication_page(server, page):
    page.goto(f"{server}/meds")
    page.click("#go")
    assert "请先" in page.inner_text("#out")
    page.fill("#drugs", "华法林 3mg 每日一次\n布洛芬 0.4g 每日3次")
    page.fill("#age", "72")
    page.click("#go")
    page.wait_for_selector("#summary")
    assert "华法林" in page.inner_text("#out") and "布洛芬" in page.inner_text("#out")
    assert no_sideways_scroll(page)
    page.fill("#age", "300")
    page.click("#go")
    page.wait_for_selector(".err")
    assert "没能读懂" in page.inner_text("#out")


def test_chat_page(server, page):
    page.goto(f"{server}/chat")
    page.click("#go")
    assert "请先" in page.inner_text("#log")
    page.fill("#text", "我爸72岁，今天早上突然说话不清楚，右手没力气")
    page.click("#go")
    page.wait_for_selector("#triage")
    assert "120" in page.inner_text("#triage")  # the engine's triage beside the words
    assert no_sideways_scroll(page)


def test_interview_page(server, page):
    page.goto(f"{server}/interview")
    page.wait_for_selector(".msg.bot")
    page.click("#go")  # empty: a Chinese message, no request
    assert "请先" in page.inner_text("#log")
    page.fill("#text", "孩子4岁，发烧两天，咳嗽")
    page.click("#go")
    page.wait_for_selector("#replies button")
    assert page.locator("#replies button").count() >= 2  # quick replies
    # Answer "没有" by quick reply until it ends (on the first list of symptoms, pick two and send them together);
    # the report for the doctor appears.
    picked = False
    for _ in range(30):
        if page.locator("#triage").count():
            break
        before = page.locator(".msg").count()
        buttons = page.locator("#replies button")
        if not picked and page.locator("#pick").count() and "精神" not in page.locator(".msg.bot").last.inner_text():
            assert page.locator("#pick").is_disabled()  # nothing picked yet
            two = [buttons.nth(1).inner_text(), buttons.nth(2).inner_text()]
            buttons.nth(1).click()
            buttons.nth(2).click()
            page.click("#pick")
            page.locator(".msg").nth(before + 1).wait_for()
            assert "、".join(two) in page.locator(".msg.me").last.inner_text()
            picked = True
            continue
        if buttons.count():
            no = buttons.filter(has_text="没有")
            (no.first if no.count() else buttons.first).click()
        else:
            page.fill("#text", "不清楚")
            page.click("#go")
        page.locator(".msg").nth(before + 1).wait_for()  # my answer and the next question (or the end)
    page.wait_for_selector("#triage")
    page.wait_for_selector("#report", state="visible")
    assert picked and "主诉" in page.inner_text("#report")
    assert no_sideways_scroll(page)
    # A reload picks up the same interview (the id is kept in the page's storage).
    page.reload()
    page.wait_for_selector("#triage")
    assert "孩子4岁" in page.inner_text("#log")


def test_records_page(server, page):
    page.goto(f"{server}/records")
    page.click("#go")  # empty: a Chinese message, no request
    assert "请粘贴" in page.inner_text("#out")
    page.fill("#dialogue", "患者：医生你好，孩子5岁，发烧两天了，咳嗽\n医生：有没有拉肚子？\n患者：没有\n医生：考虑是急性支气管炎\n"
                           "医生：建议多喝水，三天不好来复查")
    page.click("#go")
    page.wait_for_selector("#grade")
    record = page.inner_text("#record")
    assert "主诉" in record and "发热" in record and "对话中未提及" in record and "来源" in record
    assert "缺少" in record or "未记录" in record  # QC defects inline
    page.click(".src >> nth=0")
    assert page.locator(".turn.hl").count() >= 1
    assert no_sideways_scroll(page)
