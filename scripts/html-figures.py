#!/usr/bin/python3
"""Figures of the review page: its size and its time to interactive in
headless Chromium, for the sample and for a document of about 1 MB (the
damaged documents of corpus/damaged/ and the sample, repeated).

    /usr/bin/python3 scripts/html-figures.py path/to/errata

Time to interactive is the page's own performance.now() at the end of its
start-up code (window.errataReady), counted from the navigation start; the
best of three loads.  Also times an accept-all on the rule with the most
edits (the click to the end of the next frame).
"""
import glob
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEGABYTE = 1 << 20
LOADS = 5


def one_megabyte(path):
    parts = [open(p, encoding="utf-8").read()
             for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "damaged", "*.txt")))]
    parts.append(open(os.path.join(ROOT, "corpus", "wenku-sample.txt"), encoding="utf-8").read())
    text, i = "", 0
    while len(text.encode()) < MEGABYTE:
        text += parts[i % len(parts)] + "\n"
        i += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def measure(driver, errata, doc, page):
    start = time.time()
    html = subprocess.run([errata, "check", "--format=html", doc], capture_output=True).stdout
    generated = time.time() - start
    with open(page, "wb") as f:
        f.write(html)
    best = None
    for _ in range(LOADS):
        driver.get("about:blank")
        driver.get("file://" + page)
        while driver.execute_script("return document.body.dataset.ready") != "true":
            time.sleep(0.01)
        ready = driver.execute_script("return window.errataReady")
        best = ready if best is None else min(best, ready)
    edits = driver.execute_script("return document.querySelectorAll('mark.e').length")
    # Accept-all then reject-all on the biggest rule, timed inside the page up
    # to the next frame (layout and paint included).
    button = driver.find_element(By.CSS_SELECTOR, "#rules tbody tr .rule-reject")
    accept_all = driver.execute_async_script(
        "const done = arguments[1], t = performance.now(); arguments[0].click();"
        "requestAnimationFrame(() => setTimeout(() => done(performance.now() - t)));", button)
    return len(html), generated, best, edits, accept_all, os.path.getsize(doc)


def main():
    errata = os.path.abspath(sys.argv[1])
    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "one-megabyte.txt")
        one_megabyte(big)
        for name, doc in (("sample", os.path.join(ROOT, "corpus", "wenku-sample.txt")),
                          ("1 MB document", big)):
            size, generated, ready, edits, rule_all, doc_size = measure(
                driver, errata, doc, os.path.join(tmp, "page.html"))
            print("%-14s document %8d bytes, %5d edits: page %8d bytes (written in %.2f s), "
                  "interactive after %5.0f ms, rejecting the biggest rule %4.0f ms"
                  % (name, doc_size, edits, size, generated, ready, rule_all))
    driver.quit()


if __name__ == "__main__":
    main()
