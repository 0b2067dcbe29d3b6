#!/usr/bin/python3
"""The screenshot of the sample's review page shown in the README:

    /usr/bin/python3 scripts/screenshot.py path/to/errata OUT.png

Makes the page of corpus/wenku-sample.txt, opens it in headless Chromium,
selects the first proposal (so the panel shows an edit in full), and saves
the window as a PNG.
"""
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: screenshot.py path/to/errata OUT.png")
    errata, out = sys.argv[1], sys.argv[2]
    sample = os.path.join(ROOT, "corpus", "wenku-sample.txt")
    page = subprocess.run([errata, "check", "--format=html", sample], capture_output=True).stdout
    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1400,820", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    with tempfile.NamedTemporaryFile(suffix=".html") as f:
        f.write(page)
        f.flush()
        driver.get("file://" + f.name)
        while driver.execute_script("return document.body.dataset.ready") != "true":
            time.sleep(0.05)
        driver.find_element(By.CSS_SELECTOR, "mark.a-propose.k-swap").click()
        # The pointer off the document, so that no tooltip covers it.
        ActionChains(driver).move_to_element(driver.find_element(By.ID, "doc-name")).perform()
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.2)
        driver.save_screenshot(out)
    driver.quit()


if __name__ == "__main__":
    main()
