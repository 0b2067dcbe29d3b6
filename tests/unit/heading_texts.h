/* A report whose headings lost their line breaks, and the breaks the
   heading pass restores: test_layout checks the fix, test_layout_view
   that the breaks are found whichever pass made them. */
#ifndef ERRATA_TEST_HEADING_TEXTS_H
#define ERRATA_TEST_HEADING_TEXTS_H

#define FLATTENED_HEADINGS                                                                       \
    "我镇连续三年综合目标考核居市前列。一、苦练内功，夯实龙头谋发展一是立足发展抓学习。"        \
    "镇委一班人始终坚持把学习放在首位，健全了党委中心学习组制度。二是立足民主建制度。"          \
    "镇委始终坚持用制度规范行为。二、务实创新，紧扣中心求发展。"

#define HEADINGS_WITH_BREAKS                                                                     \
    "我镇连续三年综合目标考核居市前列。\n一、苦练内功，夯实龙头谋发展\n一是立足发展抓学习。"    \
    "镇委一班人始终坚持把学习放在首位，健全了党委中心学习组制度。二是立足民主建制度。"          \
    "镇委始终坚持用制度规范行为。\n二、务实创新，紧扣中心求发展。"

#endif
