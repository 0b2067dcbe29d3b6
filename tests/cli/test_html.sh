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
s = data["strings"]
assert s == ["swap/原那么>原则", "swap", "apply", "\"原那么\" is almost never legitimate: a damaged \"原则\"",
             "swap/效劳>服务", "\"效劳\" is almost never legitimate: a damaged \"服务\"",
             "swap/根底>基础", "\"根底\" is a damaged \"基础\" (no word boundary guard applies)"], s
assert [[e[6], e[7], s[e[8]], s[e[9]], s[e[10]]] for e in data["edits"]] == [
    ["原那么", "原则", "swap/原那么>原则", "swap", "apply"],
    ["效劳", "服务", "swap/效劳>服务", "swap", "apply"],
    ["根底", "基础", "swap/根底>基础", "swap", "apply"]], data["edits"]
assert data["edits"][0][:6] == [1, 5, 12, 21, 4, 7], data["edits"][0]
PY
}

test_html_policy_admits_only_the_pages_own_code() {
    run_test_engine check --format=html "$DATA/two.txt"
    assert_status 1
    local nonce
    nonce=$(sed -n "s/.*script-src 'nonce-\([A-Za-z0-9+\/]*==\)'; style-src 'nonce-\1';.*/\1/p" "$IO/out")
    [[ ${#nonce} == 24 ]] || fail "no nonce in the policy"
    assert_contains "$IO/out" "content=\"default-src 'none'; script-src 'nonce-$nonce'; style-src 'nonce-$nonce'; base-uri 'none'; form-action 'none'\""
    assert_equal "$(grep -c "<style nonce=\"$nonce\">" "$IO/out")" 1
    assert_equal "$(grep -c "<script nonce=\"$nonce\">" "$IO/out")" 1
    assert_equal "$(grep -c '<script' "$IO/out")" 2
    assert_not_contains "$IO/out" 'unsafe-'
    # A fresh nonce for every page.
    cp "$IO/out" first.html
    run_test_engine check --format=html "$DATA/two.txt"
    assert_status 1
    assert_contains "$IO/out" "script-src 'nonce-"
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

# ------------------------------------------------------------ errata fix --report

# A tree with a damaged file (hostile name), a clean one, a flagged one and
# one that is not text.
make_report_tree() {
    mkdir -p tree/sub
    cp "$DATA/two.txt" 'tree/<i>&x.txt'
    cp "$DATA/clean.txt" tree/sub/clean.txt
    printf '年、年先后被市委表彰,很好。\n' >tree/sub/flag.txt
    printf '\001\002\003' >tree/bin.dat
}

# The report's <main> element, which holds all it tells.
report_main() { sed -n '/^<main>$/,/^<\/main>$/p' "$1"; }

test_report_summarises_a_batch() {
    make_report_tree
    run_test_engine fix -r -j 2 --output-dir out --report=report.html tree
    assert_status 0
    assert_contains "$IO/err" 'errata: 3 files read, 2 changed, 1 skipped, 0 failed'
    [[ $(head -n 1 report.html) == '<!DOCTYPE html>' ]] || fail "not an HTML page"
    assert_not_contains report.html '<script'
    report_main report.html >"$IO/main"
    assert_file_is "$IO/main" <<'EOF'
<main>
<h1>errata batch report</h1>
<p class="totals"><b>3</b> files read, <b>2</b> changed, <b>1</b> skipped, <b>0</b> failed (0.0 MB). <b>4</b> edits applied, <b>0</b> proposed (left for review), <b>2</b> places flagged.</p>
<h2>Files</h2>
<table class="files">
<thead><tr><th>file</th><th>status</th><th>encoding</th><th class="n">bytes</th><th class="n">applied</th><th class="n">proposed</th><th class="n">flagged</th></tr></thead>
<tbody>
<tr><td>tree/&lt;i&gt;&amp;x.txt</td><td class="s-done">repaired</td><td>UTF-8</td><td class="n">83</td><td class="n">3</td><td class="n">0</td><td class="n">0</td></tr>
<tr><td>tree/bin.dat</td><td class="s-skipped">skipped (not text)</td><td></td><td></td><td></td><td></td><td></td></tr>
<tr><td>tree/sub/clean.txt</td><td class="s-done">unchanged</td><td>UTF-8</td><td class="n">46</td><td class="n">0</td><td class="n">0</td><td class="n">0</td></tr>
<tr><td>tree/sub/flag.txt</td><td class="s-done">repaired</td><td>UTF-8</td><td class="n">41</td><td class="n">1</td><td class="n">0</td><td class="n">2</td></tr>
</tbody>
</table>
<h2>Edits applied, by rule</h2>
<table class="rules">
<thead><tr><th class="n">edits</th><th>rule</th></tr></thead>
<tbody>
<tr><td class="n">1</td><td>punct/ascii-comma</td></tr>
<tr><td class="n">1</td><td>swap/原那么&gt;原则</td></tr>
<tr><td class="n">1</td><td>swap/效劳&gt;服务</td></tr>
<tr><td class="n">1</td><td>swap/根底&gt;基础</td></tr>
</tbody>
</table>
<h2>Flagged damage, not repaired</h2>
<table class="flags">
<thead><tr><th>where</th><th>text</th><th>rule</th><th>why</th></tr></thead>
<tbody>
<tr><td>tree/sub/flag.txt:1:1</td><td class="old">年</td><td>flag/deleted-year</td><td>年 with no year before it: the digits were deleted</td></tr>
<tr><td>tree/sub/flag.txt:1:3</td><td class="old">年</td><td>flag/deleted-year</td><td>年 with no year before it: the digits were deleted</td></tr>
</tbody>
</table>
</main>
EOF
    # The repair itself is what it is without --report.
    run_test_engine fix -r --output-dir plain tree
    assert_equal "$(diff -r out plain && echo same)" same
}

test_report_folder_links_a_review_page_per_file() {
    make_report_tree
    run_test_engine fix -r --in-place --report=pages/ tree
    assert_status 0
    assert_equal "$(cd pages && find . -type f | LC_ALL=C sort)" \
        $'./files/1-_i__x.txt.html\n./files/3-clean.txt.html\n./files/4-flag.txt.html\n./index.html'
    assert_contains pages/index.html '<tr><td><a href="files/1-_i__x.txt.html">tree/&lt;i&gt;&amp;x.txt</a></td>'
    assert_contains pages/index.html '<tr><td>tree/bin.dat</td>'
    # Each page is the file's review page, naming it as the run was given it.
    mv "$IO/out" "$IO/batch.out"
    cp pages/files/4-flag.txt.html "$IO/out"
    page_data
    assert_contains "$IO/data.json" '{"file":"tree/sub/flag.txt","name":"flag.txt","encoding":"UTF-8","bytes":41,'
    # A folder that exists needs no slash.
    run_test_engine fix -r --output-dir out --report=pages tree
    assert_status 0
    assert_contains pages/index.html '<a href="files/4-flag.txt.html">'
}

test_report_refuses_what_it_cannot_do() {
    run_test_engine fix --jsonl --report=r.html
    assert_status 2
    assert_contains "$IO/err" "takes none of -r, -j, --in-place, --backup, --output-dir, -o, --report,"
    run_test_engine fix -r --output-dir out --report= "$DATA"
    assert_status 2
    assert_contains "$IO/err" 'errata: fix: --report needs a file or a directory'
    touch plain.txt # not a directory, even for root
    run_test_engine fix -r --output-dir out --report=plain.txt/r.html "$DATA/two.txt"
    assert_status 2
    assert_contains "$IO/err" 'errata: plain.txt/r.html: '
}
