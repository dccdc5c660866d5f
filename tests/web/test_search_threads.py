"""Search words are stemmed on several threads at once (the server answers requests on
threads): each thread's stems must be the ones a single thread gets."""

from __future__ import annotations

import threading

from frisat.web.stemming import stemmer

WORDS = ["børnehaverne", "plejehjemmene", "læreplanerne", "folkeskolerne", "dagtilbuddene",
         "hegnspælene", "kommunalbestyrelsen", "institutionerne", "forældrebetalingen",
         "pasningsgarantien", "skolebestyrelserne", "ældreområdet", "frisættelsen",
         "velfærdsaftalerne"] * 40


def test_stems_are_right_on_many_threads_at_once() -> None:
    expected = [stemmer().stemWord(w) for w in WORDS]
    wrong: list[object] = []

    def work() -> None:
        for _ in range(25):
            try:
                got = [stemmer().stemWord(w) for w in WORDS]
            except IndexError as e:  # a stemmer shared between threads breaks like this
                wrong.append(e)
                return
            if got != expected:
                wrong.append([(a, b) for a, b in zip(got, expected, strict=True) if a != b][:3])
                return

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
