#!/usr/bin/env python3
"""OCR round-trip figures: character error rate of the OCR text in
corpus/ocr/<level>/ against corpus/ocr/clean/, before and after `errata fix`."""
import sys


def strip_space(text):
    return "".join(text.split())


def alignment(ref, hyp):
    """Levenshtein alignment of two strings: (distance, [(ref_piece, hyp_piece)])
    where each pair is a match, a substitution, an insertion or a deletion."""
    n, m = len(ref), len(hyp)
    prev = list(range(m + 1))
    rows = [prev]
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        r = ref[i - 1]
        for j in range(1, m + 1):
            cost = prev[j - 1] + (r != hyp[j - 1])
            cur[j] = min(cost, prev[j] + 1, cur[j - 1] + 1)
        rows.append(cur)
        prev = cur
    pairs = []
    i, j = n, m
    while i or j:
        if i and j and rows[i][j] == rows[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pairs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and rows[i][j] == rows[i - 1][j] + 1:
            pairs.append((ref[i - 1], ""))
            i -= 1
        else:
            pairs.append(("", hyp[j - 1]))
            j -= 1
    pairs.reverse()
    return rows[n][m], pairs


def edit_distance(ref, hyp):
    return alignment(ref, hyp)[0]


def char_error_rate(clean, ocr):
    ref = strip_space(clean)
    return edit_distance(ref, strip_space(ocr)) / max(len(ref), 1)


def main(argv):
    clean, ocr = (open(p, encoding="utf-8").read() for p in argv[1:3])
    print("%.4f" % char_error_rate(clean, ocr))


if __name__ == "__main__":
    main(sys.argv)
