"""Screenshots of every page at desktop and phone width, each showing a real result, from a live server in
headless Chromium (Debian's, driven by Playwright).

    python scripts/screenshots.py docs/screenshots        # or: make screenshots
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import running_server  # noqa: E402

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# page path → (how to fill it, the selector that shows the result)
PAGES = {
    "assess": ("/", [("#text", "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")], "#level"),
    "selfcare": ("/", [("#text", "我女儿3岁，体重14公斤，发烧38.6度一天，流鼻涕，精神还好")], "#selfcare"),
    "report": ("/report", [("#text", "性别：女 年龄：58岁\n血红蛋白 HGB 96 g/L 115-150\n平均红细胞体积 MCV 74.2 fL 82-100\n"
                                     "肌酐 CREA 102 μmol/L 41-81\n钾 K 5.9 mmol/L 3.5-5.3")], "#items"),
    "chat": ("/chat", [("#text", "我爸72岁，今天早上突然说话不清楚，右手没力气")], "#triage"),
    "interview": ("/interview", [("#text", "孩子4岁，发烧两天，咳嗽")], "#replies button"),
    "records": ("/records", [("#dialogue", "患者：医生你好，孩子5岁，发烧两天了，咳嗽\n医生：有没有拉肚子？\n患者：没有\n"
                                          "医生：对什么药过敏吗？\n患者：对青霉素过敏\n医生：考虑是急性支气管炎\n医生：建议多喝水，三天不好来复查")], "#grade"),
    "meds": ("/meds", [("#drugs", "华法林 3mg 每日一次\n布洛芬 0.4g 每日3次\n泰诺 2片 每6小时"), ("#age", "72")], "#summary"),
}


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("screenshots: chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    out.mkdir(parents=True, exist_ok=True)
    with running_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, (path, fills, result) in PAGES.items():
            for size, viewport in SIZES.items():
                ctx = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
                page = ctx.new_page()
                page.goto(url + path)
                for selector, value in fills:
                    page.fill(selector, value)
                page.click("#go")
                page.wait_for_selector(result)
                if name == "interview":  # answer three questions by quick reply: a conversation, not an empty page
                    # none of the danger signs; two of the associated symptoms, picked together; then "no"
                    page.locator("#replies button").first.click()
                    page.wait_for_timeout(300)
                    if page.locator("#pick").count():
                        page.locator("#replies button").nth(1).click()
                        page.locator("#replies button").nth(2).click()
                        page.click("#pick")
                        page.wait_for_timeout(300)
                    page.locator("#replies button").first.click()
                    page.wait_for_timeout(300)
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
