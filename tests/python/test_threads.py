"""One engine shared by many threads gives each text the results it gets alone."""
import concurrent.futures

from conftest import ROOT


def test_many_threads_share_one_engine(engine):
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "damaged").glob("*.txt"))]
    texts = (texts * 4)[:64]
    alone = [(engine.fix(t), engine.check(t)) for t in texts]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda t: (engine.fix(t), engine.check(t)), texts))
    assert together == alone
    assert sum(len(edits) for _, edits in alone) > 1000
