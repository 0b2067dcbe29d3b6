# errata check --format=html: one self-contained page per document.  What the
# page does in a browser is tested in tests/html/test_pages.py; here the page
# as bytes: its policy, and the document reaching it only escaped.

# The page's JSON data (between its <script type="application/json"> tags)
# in $IO/data.json.
page_data() {
    python3 - "$IO/out" "$IO/data.json" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
data = re.search(r'<script type="application/json" id="errata-data">(.*?)</script>', page, re.S)
open(sys.argv[2], "w", encoding="utf-8").write(data.group(1))
PY
}

test_html_page_carries_the_document_and_its_edits() {
    run_test_engine check --format=html "$DATA/two.txt"
    assert_status 1
    assert_no_stderr
    [[ $(head -n 1 "$IO/out") == '<!DOCTYPE html>' ]] || fail "not an HTML page"
    page_data
    python3 - "$IO/data.json" "$DATA/two.txt" <<'PY' || fail "data does not rebuild the document"
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
assert data["file"] == sys.argv[2] and data["name"] == "two.txt", data["file"]
assert data["encoding"] == "UTF-8" and data["bytes"] == len(text.encode())
rebuilt = data["gaps"][0] + "".join(e[6] + g for e, g in zip(data["edits"], data["gaps"][1:]))
assert rebuilt == text, rebuilt
assert [e[6:11] for e in data["edits"]] == [
    ["原那么", "原则", "swap/原那么>原则", "swap", "apply"],
    ["效劳", "服务", "swap/效劳>服务", "swap", "apply"],
    ["根底", "基础", "swap/根底>基础", "swap", "apply"]], data["edits"]
assert data["edits"][0][:6] == [1, 5, 12, 21, 4, 7], data["edits"][0]
PY
}

test_html_policy_admits_only_the_pages_own_code() {
    run_test_engine check --format=html "$DATA/two.txt"
    local nonce
    nonce=$(sed -n "s/.*script-src 'nonce-\([A-Za-z0-9+\/]*==\)'; style-src 'nonce-\1';.*/\1/p" "$IO/out")
    [[ ${#nonce} == 24 ]] || fail "no nonce in the policy"
    assert_contains "$IO/out" "content=\"default-src 'none'; script-src 'nonce-$nonce'; style-src 'nonce-$nonce'; img-src data:; base-uri 'none'; form-action 'none'\""
    assert_equal "$(grep -c "<style nonce=\"$nonce\">" "$IO/out")" 1
    assert_equal "$(grep -c "<script nonce=\"$nonce\">" "$IO/out")" 1
    assert_equal "$(grep -c '<script' "$IO/out")" 2
    assert_not_contains "$IO/out" 'unsafe-'
    # A fresh nonce for every page.
    cp "$IO/out" first.html
    run_test_engine check --format=html "$DATA/two.txt"
    assert_not_contains "$IO/out" "$nonce"
}

test_html_escapes_the_document() {
    printf '坚持原那么</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \342\200\250 \342\200\251 "\\\n' >'a<b>&"c.txt'
    run_test_engine check --format=html 'a<b>&"c.txt'
    assert_status 1
    assert_contains "$IO/out" '<title>a&lt;b&gt;&amp;&quot;c.txt — errata review</title>'
    page_data
    assert_not_contains "$IO/data.json" '<'
    assert_not_contains "$IO/data.json" '>'
    assert_not_contains "$IO/data.json" '&'
    assert_not_contains "$IO/data.json" $'\342\200\250'
    assert_not_contains "$IO/data.json" $'\342\200\251'
    assert_contains "$IO/data.json" '"gaps":["坚持",'
    assert_contains "$IO/data.json" '\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u003c!-- \u003cimg src=x onerror=alert(2)\u003e \u0026 \u2028 \u2029 \"\\\n"'
    assert_contains "$IO/data.json" '"file":"a\u003cb\u003e\u0026\"c.txt"'
}

test_html_clean_document_exits_0() {
    run_test_engine check --format=html "$DATA/clean.txt"
    assert_status 0
    page_data
    assert_contains "$IO/data.json" '"edits":[]'
}

test_html_takes_one_file() {
    run_test_engine check --format=html "$DATA/two.txt" "$DATA/clean.txt"
    assert_status 2
    assert_no_stdout
    assert_stderr <<'EOF'
errata: check: --format=html makes the page of one file, not 2
Try 'errata check --help'.
EOF
}
