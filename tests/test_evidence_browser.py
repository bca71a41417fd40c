"""创建台账 in a real browser (Debian's Chromium through Playwright): a renamed program in a batch is refused with the
file named and nothing kept; a photo with its note is kept and shown; the 设置 limit refuses a larger one."""
import shutil

from playwright.sync_api import expect, sync_playwright

from tests.test_browser import CHROMIUM, LOCAL, server  # noqa: F401 (a fixture: the dashboard on the sample)
from tests.test_evidence import LINUX_EXE, photo

NOTE = "说明（做了什么、何时、谁参加；必填）"


def test_evidence_is_refused_then_kept_in_the_browser(server, tmp_path):  # noqa: F811
    assert shutil.which(CHROMIUM), "install the Debian package chromium (.ci/run does)"
    renamed, good = tmp_path / "签到表.pdf", tmp_path / "现场照片.jpg"
    shutil.copy(LINUX_EXE, renamed)
    good.write_bytes(photo())
    outside = []
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))
        page.goto(f"{server}/evidence")
        expect(page.get_by_role("heading", name="创建台账", exact=True)).to_be_visible(timeout=90_000)
        expect(page.get_by_text("2024 年台账（0 份）")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("创建台账")
        expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("View")   # all pages listed, no English "View 3 more"

        def upload(*files) -> None:
            page.locator('[class*="st-key-evidence_upload_"] input[type="file"]').set_input_files(list(files))
            page.get_by_label(NOTE).fill("3月5日学雷锋志愿服务，全体青年参加")
            page.get_by_label(NOTE).press("Enter")
            button = page.get_by_role("button", name="上传", exact=True)
            expect(button).to_be_enabled()
            button.click()

        upload(good, renamed)
        expect(page.get_by_text("没有上传任何文件")).to_be_visible()
        expect(page.get_by_text("「签到表.pdf」扩展名是 .pdf，内容却是「Linux 可执行程序」")).to_be_visible()
        expect(page.get_by_text("2024 年台账（0 份）")).to_be_visible()
        page.screenshot(path=tmp_path / "evidence-refused.png", full_page=True)

        # The clerk takes the program out of the batch and sends the photo again, the note still there.
        page.get_by_test_id("stFileChip").filter(has_text="签到表.pdf").get_by_test_id("stFileChipDeleteBtn").click()
        expect(page.get_by_test_id("stFileChip")).to_have_count(1)
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.get_by_text("已上传 1 份台账")).to_be_visible()
        expect(page.get_by_text("2024 年台账（1 份）")).to_be_visible()
        expect(page.get_by_test_id("stImage").locator("img")).to_have_count(1)   # the photo, shown
        page.get_by_test_id("stImage").scroll_into_view_if_needed()
        page.screenshot(path=tmp_path / "evidence-kept.png")
        browser.close()
    assert outside == []
