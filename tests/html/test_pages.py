#!/usr/bin/python3
"""The review page (errata check --format=html) in a real browser: Debian's
Chromium, headless, driven by chromium-driver through Selenium.

    /usr/bin/python3 tests/html/test_pages.py path/to/errata [unittest args]

One browser serves every test.  Runs as root without a terminal (CI): hence
--headless and --no-sandbox.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "corpus", "wenku-sample.txt")
ERRATA = None  # set from the command line
DOWNLOAD_WAIT = 10.0  # seconds, at most


def errata(*args, check_status=(0,)):
    done = subprocess.run([ERRATA, *args], capture_output=True)
    if done.returncode not in check_status:
        raise AssertionError("errata %s: exit %d\n%s" % (" ".join(args), done.returncode,
                                                          done.stderr.decode(errors="replace")))
    return done.stdout


def start_browser(download_dir):
    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--lang=zh-CN"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": download_dir})
    return driver


class Pages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="errata-html-tests.")
        cls.downloads = os.path.join(cls.dir, "downloads")
        os.mkdir(cls.downloads)
        cls.driver = start_browser(cls.downloads)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        shutil.rmtree(cls.dir)

    # ------------------------------------------------------------ helpers

    def page_of(self, path, name="page.html"):
        """Write the review page of path and open it; returns the page's path."""
        page = os.path.join(self.dir, name)
        with open(page, "wb") as out:
            out.write(errata("check", "--format=html", path, check_status=(0, 1)))
        self.driver.get("file://" + page)
        for _ in range(100):
            if self.js("return document.body.dataset.ready") == "true":
                break
            time.sleep(0.05)
        self.assertEqual(self.js("return document.body.dataset.ready"), "true")
        return page

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def console_errors(self):
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def keys(self, text):
        self.driver.find_element(By.TAG_NAME, "body").send_keys(text)

    def download(self, button, name):
        """Click a download button; the downloaded file's bytes."""
        path = os.path.join(self.downloads, name)
        if os.path.exists(path):
            os.remove(path)
        self.driver.find_element(By.ID, button).click()
        deadline = time.time() + DOWNLOAD_WAIT
        while time.time() < deadline:
            if os.path.exists(path) and not os.path.exists(path + ".crdownload"):
                with open(path, "rb") as f:
                    return f.read()
            time.sleep(0.05)
        self.fail("no download of %s (have: %s)" % (name, os.listdir(self.downloads)))

    def left_text(self):
        """The document column's text, line-break marks taken out again."""
        return self.js("return [...document.querySelectorAll('#blocks .o')]"
                       ".map(n => n.textContent).join('')").replace("\u21b5\n", "\n")

    def right_text(self):
        return self.js("return [...document.querySelectorAll('#blocks .f')]"
                       ".map(n => n.textContent).join('')")

    def mark(self, index):
        return self.driver.find_element(By.CSS_SELECTOR, 'mark[data-i="%d"]' % index)

    def state(self, index):
        classes = self.mark(index).get_attribute("class").split()
        return next(c for c in classes if c.startswith("s-"))

    # ------------------------------------------------------------ tests

    def test_sample_page_shows_every_edit_in_place(self):
        edits = [json.loads(line) for line in errata("check", "--format=jsonl", SAMPLE,
                                                     check_status=(1,)).splitlines()]
        self.page_of(SAMPLE)
        marks = self.js("return [...document.querySelectorAll('#blocks mark.e')].map(m => "
                        "[Number(m.dataset.i), m.className, m.textContent])")
        self.assertEqual(len(marks), len(edits))
        for (index, classes, text), edit in zip(marks, edits):
            classes = classes.split()
            self.assertIn("k-" + edit["kind"], classes)
            self.assertIn("a-" + edit["action"], classes)
            expected_state = "s-acc" if edit["action"] == "apply" else "s-open"
            self.assertIn(expected_state, classes)
            self.assertEqual(text.replace("\u21b5\n", "\n"), edit["old"])
        self.assertEqual([m[0] for m in marks], list(range(len(edits))))
        # The document as it is, and the repaired text as errata fix makes it.
        with open(SAMPLE, encoding="utf-8") as f:
            self.assertEqual(self.left_text(), f.read())
        self.assertEqual(self.right_text(), errata("fix", SAMPLE).decode())
        # The counts in the side panel.
        counts = self.js("const c = {}; document.querySelectorAll('[data-count]')"
                         ".forEach(n => c[n.dataset.count] = n.textContent); return c;")
        for action in ("apply", "propose", "flag"):
            n = sum(e["action"] == action for e in edits)
            self.assertEqual(counts[action + "-total"], str(n))
        self.assertEqual(counts["all-total"], str(len(edits)))
        self.assertEqual(counts["apply-acc"], counts["apply-total"])
        self.assertEqual(counts["propose-open"], counts["propose-total"])
        rules = self.js("return [...document.querySelectorAll('#rules tbody tr')].map(r => "
                        "[r.dataset.rule, r.children[1].textContent])")
        by_rule = {}
        for e in edits:
            by_rule[e["rule"]] = by_rule.get(e["rule"], 0) + 1
        self.assertEqual({rule: int(n) for rule, n in rules}, by_rule)
        # Untouched, both downloads give what errata fix gives.
        text = self.download("dl-text", "wenku-sample.txt.repaired.txt")
        self.assertEqual(text, errata("fix", SAMPLE))
        decisions = self.download("dl-edits", "wenku-sample.txt.decisions.jsonl")
        listed = os.path.join(self.dir, "untouched.jsonl")
        with open(listed, "wb") as f:
            f.write(decisions)
        self.assertEqual(errata("apply", "-q", "-o", "-", listed), errata("fix", SAMPLE))
        self.assertEqual(self.console_errors(), [])

    def test_decisions_reach_both_downloads(self):
        edits = [json.loads(line) for line in errata("check", "--format=jsonl", SAMPLE,
                                                     check_status=(1,)).splitlines()]
        proposals = [i for i, e in enumerate(edits) if e["action"] == "propose"]
        applied = [i for i, e in enumerate(edits) if e["action"] == "apply"]
        flags = [i for i, e in enumerate(edits) if e["action"] == "flag"]
        self.page_of(SAMPLE)
        # Accept a proposal with the keyboard (click selects, y answers).
        self.mark(proposals[0]).click()
        self.keys("y")
        self.assertEqual(self.state(proposals[0]), "s-acc")
        # Reject an applied edit; reject another and take that back with u.
        self.mark(applied[3]).click()
        self.keys("n")
        self.assertEqual(self.state(applied[3]), "s-rej")
        self.mark(applied[5]).click()
        self.keys("n")
        self.assertEqual(self.state(applied[5]), "s-rej")
        self.keys("u")
        self.assertEqual(self.state(applied[5]), "s-acc")
        # j moves on; a flag cannot be accepted.
        self.mark(flags[0]).click()
        self.keys("y")
        self.assertEqual(self.state(flags[0]), "s-open")
        # Accept every edit of the quote rule with its button.
        quote_rule = edits[next(i for i in proposals if edits[i]["kind"] == "quote")]["rule"]
        row = self.driver.find_element(By.CSS_SELECTOR,
                                       '#rules tr[data-rule="%s"]' % quote_rule)
        row.find_element(By.CLASS_NAME, "rule-accept").click()
        accepted = {proposals[0]} | {i for i, e in enumerate(edits) if e["rule"] == quote_rule}
        for i in accepted:
            self.assertEqual(self.state(i), "s-acc")
        # What errata apply makes of the same decisions, written by hand.
        for i, e in enumerate(edits):
            if i in accepted:
                e["accept"] = True
            elif i == applied[3]:
                e["accept"] = False
        expected_list = os.path.join(self.dir, "expected.jsonl")
        with open(expected_list, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in edits)
        expected = errata("apply", "-q", "-o", "-", expected_list)
        self.assertNotEqual(expected, errata("fix", SAMPLE))
        self.assertEqual(self.right_text().encode(), expected)
        self.assertEqual(self.download("dl-text", "wenku-sample.txt.repaired.txt"), expected)
        decisions = self.download("dl-edits", "wenku-sample.txt.decisions.jsonl")
        lines = [json.loads(line) for line in decisions.decode().splitlines()]
        self.assertEqual(len(lines), len(edits))
        self.assertEqual([l.get("accept") for l in lines],
                         [True if i in accepted else False if i == applied[3]
                          else True if e["action"] == "apply" else None
                          for i, e in enumerate(edits)])
        listed = os.path.join(self.dir, "decisions.jsonl")
        with open(listed, "wb") as f:
            f.write(decisions)
        self.assertEqual(errata("apply", "-q", "-o", "-", listed), expected)
        counts = self.js("const c = {}; document.querySelectorAll('[data-count]')"
                         ".forEach(n => c[n.dataset.count] = n.textContent); return c;")
        self.assertEqual(counts["propose-acc"], str(len(accepted)))
        self.assertEqual(counts["apply-rej"], "1")

    def test_decisions_apply_to_the_file_in_its_own_encoding(self):
        with open(SAMPLE, encoding="utf-8") as f:
            text = f.read()
        gbk = os.path.join(self.dir, "sample-gb.txt")
        with open(gbk, "wb") as f:
            f.write(text.encode("gb18030"))
        self.page_of(gbk)
        first_proposal = self.js("return document.querySelector('mark.a-propose').dataset.i")
        self.mark(int(first_proposal)).click()
        self.keys("y")
        repaired = self.download("dl-text", "sample-gb.txt.repaired.txt")
        decisions = self.download("dl-edits", "sample-gb.txt.decisions.jsonl")
        listed = os.path.join(self.dir, "gb.jsonl")
        with open(listed, "wb") as f:
            f.write(decisions)
        out = os.path.join(self.dir, "gb-out.txt")
        errata("apply", "-q", "-o", out, listed)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), repaired.decode("utf-8").encode("gb18030"))
        self.assertNotEqual(repaired, errata("fix", "--output-encoding", "UTF-8", gbk))

    def test_filters_and_keyboard_skip_hidden_edits(self):
        self.page_of(SAMPLE)
        self.driver.find_element(By.CSS_SELECTOR, 'input[data-filter="punctuation"]').click()
        self.driver.find_element(By.CSS_SELECTOR, 'input[data-filter="apply"]').click()
        self.assertTrue(self.js("return document.body.classList.contains('hide-k-punctuation')"
                                " && document.body.classList.contains('hide-a-apply')"))
        edits = [json.loads(line) for line in errata("check", "--format=jsonl", SAMPLE,
                                                     check_status=(1,)).splitlines()]
        shown = [i for i, e in enumerate(edits)
                 if e["kind"] != "punctuation" and e["action"] != "apply"]
        visited = []
        for _ in range(12):
            self.keys("j")
            visited.append(int(self.js("return document.querySelector('mark.cur').dataset.i")))
        self.assertEqual(visited, shown[:12])
        self.keys("kk")
        self.assertEqual(self.js("return document.querySelector('mark.cur').dataset.i"),
                         str(shown[9]))

    def test_hostile_document_runs_nothing(self):
        payloads = [
            "</script><script>window.__pwned = 1</script>",
            "<img src=x onerror=\"window.__pwned = 2\">",
            "<svg onload=window.__pwned=3></svg>",
            "<a href=\"javascript:window.__pwned=4\">点我</a>",
            "<!-- <script>window.__pwned = 5</script> -->",
            "\u202e\u2066RTL\u2069 \u2028 \u2029 \ufffd \u0085 ]]> &amp; &#60;",
            "'\"`${window.__pwned = 6}`",
        ]
        body = "".join("我们的根底,%s很好,打好根底。\n" % p for p in payloads)
        name = "<img src=x onerror=window.__pwned=7>.txt"
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        page = self.page_of(path, "hostile.html")
        with open(page, encoding="utf-8") as f:
            html = f.read()
        self.assertEqual(html.count("<script"), 2)  # the data and the page's own code
        self.assertEqual(html.lower().count("</script"), 2)
        self.assertNotIn("<img", html)
        self.assertNotIn("\u2028", html)
        self.assertIsNone(self.js("return window.__pwned"))
        self.assertGreater(self.js("return document.querySelectorAll('mark.e').length"), 10)
        self.assertEqual(self.left_text(), body)
        self.assertEqual(self.js("return document.querySelectorAll('img, svg, a[href]').length"), 0)
        self.assertEqual(self.js("return document.title"), name + " \u2014 errata review")
        # Hover and click every edit: the tooltip and the panel show text only.
        for mark in self.driver.find_elements(By.CSS_SELECTOR, "mark.e")[:6]:
            mark.click()
        self.assertIsNone(self.js("return window.__pwned"))
        self.assertEqual(self.console_errors(), [])
        # The policy is in force: code without the nonce does not run.
        self.js("const s = document.createElement('script');"
                "s.textContent = 'window.__pwned = 8'; document.body.appendChild(s);")
        self.assertIsNone(self.js("return window.__pwned"))
        errors = self.console_errors()
        self.assertTrue(any("Content Security Policy" in e["message"] for e in errors), errors)

    def test_batch_report_links_each_files_review_page(self):
        tree = os.path.join(self.dir, "tree")
        os.makedirs(tree, exist_ok=True)
        shutil.copy(SAMPLE, tree)
        with open(os.path.join(tree, "<script>.txt"), "w", encoding="utf-8") as f:
            f.write("打好根底,<script>window.__pwned = 1</script>\n")
        report = os.path.join(self.dir, "report") + "/"
        errata("fix", "-q", "-r", "--output-dir", os.path.join(self.dir, "fixed"),
               "--report=" + report, tree)
        self.driver.get("file://" + report + "index.html")
        links = self.driver.find_elements(By.CSS_SELECTOR, "table.files a")
        self.assertEqual([a.text for a in links], [os.path.join(tree, "<script>.txt"),
                                                   os.path.join(tree, "wenku-sample.txt")])
        flagged = self.driver.find_elements(By.CSS_SELECTOR, "table.flags tbody tr")
        self.assertEqual(len(flagged), 7)
        links[1].click()
        for _ in range(100):
            if self.js("return document.body.dataset.ready") == "true":
                break
            time.sleep(0.05)
        self.assertEqual(self.js("return document.querySelectorAll('mark.e').length"), 222)
        self.driver.back()
        self.driver.find_elements(By.CSS_SELECTOR, "table.files a")[0].click()
        for _ in range(100):
            if self.js("return document.body.dataset.ready") == "true":
                break
            time.sleep(0.05)
        self.assertEqual(self.left_text(), "打好根底,<script>window.__pwned = 1</script>\n")
        self.assertIsNone(self.js("return window.__pwned"))
        self.assertEqual(self.console_errors(), [])


def main():
    global ERRATA
    if len(sys.argv) < 2:
        sys.exit("usage: test_pages.py path/to/errata [unittest args]")
    ERRATA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
