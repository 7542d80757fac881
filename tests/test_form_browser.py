"""The stakeholder form in a real browser: Debian's chromium and chromedriver through Selenium
(Selenium Manager's driver download cannot work offline, so the driver is named).

For cases/tiny and the Leverkusen case, each method is filled in as a person would (points that
do not add up first, a ranking with a tie by keyboard, direct, swing, an inconsistent then a
consistent AHP set whose CR must be the engine's), the file is created and read from the
read-only box, put into a copy of the case's weights/, and `lev2040 validate --strict` must accept
it and `lev2040 weights` give the weights the engine's kernels give for the same answers. No
console errors; the screenshot is not blank; the page fits a phone's width.
"""

from __future__ import annotations

import json
import math
import shutil
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from lev2040_mcda.case import load_case
from lev2040_mcda.form import build_form
from lev2040_mcda.weights import ahp, goal_matrix, ranking_weights

from .conftest import CASES, ROOT
from .test_form import HOSTILE, hostile_case

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists() and Path(DRIVER).exists(), (
        "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    browser = webdriver.Chrome(options=options, service=Service(DRIVER))
    browser.implicitly_wait(0)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pages")
    out = {}
    for name, case, kw in (
        ("tiny", "tiny", {}),
        ("tiny-de", "tiny", {"lang": "de"}),
        ("leverkusen", "leverkusen-2040", {}),
        ("leverkusen-politik", "leverkusen-2040", {"group": "politik"}),
    ):
        out[name] = root / f"{name}.html"
        out[name].write_text(build_form(load_case(CASES / case), **kw), encoding="utf-8")
    return out


@pytest.fixture
def copy(tmp_path):
    """A copy of a case with an empty weights/ (the Leverkusen case with its criteria catalogue)."""

    def make(case: str) -> Path:
        dest = tmp_path / "cases" / case
        shutil.copytree(CASES / case, dest)
        if case == "leverkusen-2040":
            shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
        shutil.rmtree(dest / "weights")
        (dest / "weights").mkdir()
        return dest

    return make


@pytest.fixture(autouse=True)
def no_console_errors(request):
    yield
    if "driver" in request.fixturenames:
        logs = request.getfixturevalue("driver").get_log("browser")
        severe = [e for e in logs if e["level"] == "SEVERE"]
        assert not severe, severe


def open_page(driver, page: Path, group: str | None = None, level: str | None = None, method: str = "points"):
    driver.get(page.as_uri())
    driver.get_log("browser")  # from here on, the page's own messages
    if group:
        from selenium.webdriver.support.ui import Select

        Select(driver.find_element("id", "group")).select_by_value(group)
    if level:
        driver.find_element("css selector", f"input[name=level][value={level}]").click()
    driver.find_element("css selector", f"input[name=method][value={method}]").click()


def type_into(driver, element_id: str, value: object) -> None:
    box = driver.find_element("id", element_id)
    box.clear()
    text = str(value)
    if any(ord(c) > 0xFFFF for c in text):  # ChromeDriver before 15x types only the BMP: the
        # characters beyond it (an emoji) go in as a paste would put them, with the events typing fires
        driver.execute_script(
            "var b = arguments[0]; b.value = arguments[1];"
            "b.dispatchEvent(new Event('input', {bubbles: true}));"
            "b.dispatchEvent(new Event('change', {bubbles: true}));",
            box,
            text,
        )
        return
    box.send_keys(text)


def slide(driver, key: str, position: int) -> None:
    driver.execute_script(
        "var s = document.getElementById(arguments[0]); s.value = arguments[1];"
        "s.dispatchEvent(new Event('input', {bubbles: true}));",
        f"pair-{key}",
        str(position),
    )


def create(driver) -> str:
    driver.find_element("id", "create").click()
    return driver.find_element("id", "result").get_attribute("value")


def engine_weights(case_dir: Path, text: str, name: str, group: str | None) -> dict[str, float]:
    """``text`` as ``weights/name`` of the copy: validate must accept it; its group's weights."""
    from lev2040_mcda.cli import cli

    (case_dir / "weights" / name).write_text(text, encoding="utf-8")
    run = CliRunner().invoke(cli, ["validate", str(case_dir), "--strict"])
    assert run.exit_code == 0, run.output + run.stderr
    run = CliRunner().invoke(cli, ["weights", str(case_dir), "--format", "json", "--strict"])
    assert run.exit_code == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["submissions"]["used"] == 1 and not result["rejections"]
    return next(g for g in result["groups"] if g["id"] == group)["weights"]


def expected(case_dir: Path, level: str, ids: list[str], vector) -> dict[str, float]:
    case = load_case(case_dir)
    w = np.asarray(vector, dtype=float)
    if level == "goals":
        goals, g = goal_matrix(case)
        full = np.zeros(len(goals))
        full[[goals.index(i) for i in ids]] = w
        w, ids = full @ g, list(case.criterion_ids)
    return dict(zip(ids, w / w.sum()))


def assert_same(got: dict[str, float], want: dict[str, float]) -> None:
    assert set(got) == set(want)
    for k in want:
        assert got[k] == pytest.approx(want[k], abs=1e-9), k


def test_points_off_budget_warn_then_a_valid_set_is_accepted(driver, pages, copy, downloads):
    case = copy("tiny")
    open_page(driver, pages["tiny"], group="buerger", level="goals", method="points")
    for gid, v in zip(["klima", "wohnen", "finanzen"], [50, 30, 10]):
        type_into(driver, f"v-{gid}", v)
    status = driver.find_element("id", "status")
    assert "warn" in status.get_attribute("class") and "90" in status.text and "100" in status.text
    assert create(driver) == ""
    message = driver.find_element("id", "message")
    assert "error" in message.get_attribute("class") and "90" in message.text
    type_into(driver, "v-finanzen", 20)
    assert "ok" in status.get_attribute("class")
    assert driver.find_element("id", "share-klima").text == "50.0 %"
    text = create(driver)
    assert "budget: 100" in text and "group: buerger" in text
    name = driver.find_element("id", "result").get_attribute("data-file")
    assert name == "buerger-points.yaml"
    got = engine_weights(case, text, name, "buerger")
    assert_same(got, expected(case, "goals", ["klima", "wohnen", "finanzen"], [50, 30, 20]))
    saved = downloads / name  # the button also saved the same text as a file
    for _ in range(100):
        if saved.exists():
            break
        time.sleep(0.05)
    assert saved.read_text(encoding="utf-8") == text


def test_ranking_with_a_tie_by_keyboard(driver, pages, copy):
    from selenium.webdriver.common.keys import Keys

    case = copy("tiny")
    open_page(driver, pages["tiny"], group="verwaltung", level="criteria", method="ranking")
    # start: cost, co2, homes, acceptance; move acceptance up twice by arrow keys -> cost, acceptance, co2, homes
    item = driver.find_element("css selector", "li[data-id=acceptance]")
    item.send_keys(Keys.ARROW_UP)
    driver.switch_to.active_element.send_keys(Keys.ARROW_UP)
    assert driver.switch_to.active_element.get_attribute("data-id") == "acceptance"
    # homes up with its button, by keyboard (Enter on the focused button): cost, acceptance, homes, co2
    up = driver.find_element("id", "up-homes")
    driver.execute_script("arguments[0].focus()", up)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    order = [li.get_attribute("data-id") for li in driver.find_elements("css selector", "#ranking li")]
    assert order == ["cost", "acceptance", "homes", "co2"]
    # homes ties with acceptance: Space on its checkbox
    box = driver.find_element("id", "tie-homes")
    driver.execute_script("arguments[0].focus()", box)
    driver.switch_to.active_element.send_keys(Keys.SPACE)
    places = [e.text for e in driver.find_elements("css selector", "#ranking .place")]
    assert places == ["Place 1", "Place 2", "Place 2", "Place 4"]
    text = create(driver)
    assert "  - [acceptance, homes]" in text
    got = engine_weights(case, text, "verwaltung-ranking.yaml", "verwaltung")
    ranks = ranking_weights(np.array([[1, 2, 2, 4]]))[0]
    assert_same(got, expected(case, "criteria", ["cost", "acceptance", "homes", "co2"], ranks))


def test_direct_on_the_leverkusen_criteria_in_german(driver, pages, copy):
    case = copy("leverkusen-2040")
    ids = list(load_case(case).criterion_ids)
    open_page(driver, pages["leverkusen"], group="verwaltung", level="criteria", method="direct")
    values = [(k % 5) * 1.5 for k in range(len(ids))]
    for i, v in zip(ids, values):
        type_into(driver, f"v-{i}", str(v).replace(".", ","))  # the German decimal comma
    status = driver.find_element("id", "status").text
    assert "Summe" in status
    text = create(driver)
    got = engine_weights(case, text, "verwaltung-direct.yaml", "verwaltung")
    assert_same(got, expected(case, "criteria", ids, values))


def test_swing_asks_from_worst_to_best(driver, pages, copy):
    case = copy("tiny")
    from selenium.webdriver.support.ui import Select

    open_page(driver, pages["tiny"], group="buerger", level="criteria", method="swing")
    Select(driver.find_element("id", "swing-anchor")).select_by_value("homes")
    assert driver.find_element("id", "v-homes").get_attribute("value") == "100"
    panel = driver.find_element("id", "panel").text
    assert "from its worst (0 EUR m) to its best" not in panel  # cost: worst is the highest
    assert "from its worst (100 EUR m) to its best (0 EUR m)" in panel
    values = {"cost": 40, "co2": 80, "acceptance": 20}
    for i, v in values.items():
        type_into(driver, f"v-{i}", v)
    type_into(driver, "v-co2", 180)
    assert "warn" in driver.find_element("id", "status").get_attribute("class")
    assert create(driver) == ""
    type_into(driver, "v-co2", 80)
    text = create(driver)
    got = engine_weights(case, text, "buerger-swing.yaml", "buerger")
    assert_same(got, expected(case, "criteria", ["cost", "co2", "homes", "acceptance"], [40, 80, 100, 20]))


def _matrix(n: int, judgements: dict[str, float]) -> np.ndarray:
    m = np.ones((n, n))
    for key, v in judgements.items():
        i, j = map(int, key.split("-"))
        m[i, j], m[j, i] = v, 1 / v
    return m


def _saaty(position: int) -> float:
    return 1 - position if position <= 0 else 1 / (1 + position)


def _check_cr(driver, n: int, positions: dict[str, int], lang: str = "en") -> tuple[float, np.ndarray]:
    m = _matrix(n, {k: _saaty(p) for k, p in positions.items()})
    engine = ahp(m)
    shown = float(driver.find_element("id", "cr-box").get_attribute("data-cr"))
    assert shown == pytest.approx(engine.cr, abs=1e-9)
    text = f"{engine.cr:.3f}"
    assert driver.find_element("id", "cr").text.endswith(text.replace(".", ",") if lang == "de" else text)
    return engine.cr, m


def test_pairwise_inconsistent_then_consistent(driver, pages, copy):
    case = copy("tiny")
    open_page(driver, pages["tiny"], group="verwaltung", level="criteria", method="pairwise")
    # consistent priorities 8:4:2:1 would be 0-1 = 2, 0-2 = 4, 0-3 = 8, 1-2 = 2, 1-3 = 4, 2-3 = 2;
    # turn 0-3 round (item 3 is 8 times as important as item 0): the most inconsistent judgement
    bad = {"0-1": -1, "0-2": -3, "0-3": 7, "1-2": -1, "1-3": -3, "2-3": -1}
    for key, p in bad.items():
        slide(driver, key, p)
    cr, m = _check_cr(driver, 4, bad)
    assert cr > 0.1
    assert "high" in driver.find_element("id", "cr-box").get_attribute("class")
    worst = driver.find_element("id", "cr-worst")
    w = ahp(m).weights
    dev = {(i, j): abs(math.log(m[i, j] * w[j] / w[i])) for i in range(4) for j in range(i + 1, 4)}
    i, j = max(dev, key=dev.get)
    ids = ["cost", "co2", "homes", "acceptance"]
    assert (
        (worst.get_attribute("data-a"), worst.get_attribute("data-b"))
        == (ids[i], ids[j])
        == ("cost", "acceptance")
    )
    assert "worst" in driver.find_element("id", "row-0-3").get_attribute("class")
    driver.find_element("id", "cr-goto").click()
    assert driver.switch_to.active_element.get_attribute("id") == "pair-0-3"
    from selenium.webdriver.common.keys import Keys

    for _ in range(14):  # from 7 to -7 by keyboard on the slider: item 0 eight times as important
        driver.switch_to.active_element.send_keys(Keys.ARROW_LEFT)
    good = {**bad, "0-3": -7}
    cr, m = _check_cr(driver, 4, good)
    assert cr == pytest.approx(0, abs=1e-12)
    assert "high" not in driver.find_element("id", "cr-box").get_attribute("class")
    assert driver.find_element("id", "cr-worst").text == ""
    text = create(driver)
    assert "  - [cost, acceptance, 8]" in text and "  - [cost, co2, 2]" in text
    got = engine_weights(case, text, "verwaltung-pairwise.yaml", "verwaltung")
    assert_same(got, expected(case, "criteria", ids, ahp(m).weights))


def test_pairwise_on_the_leverkusen_goals_as_json(driver, pages, copy):
    case = copy("leverkusen-2040")
    goals = list(load_case(case).goal_ids)
    n = len(goals)
    open_page(driver, pages["leverkusen-politik"], level="goals", method="pairwise")
    assert "politik" in driver.find_element("id", "group").get_attribute("value")
    rng = np.random.default_rng(7)
    positions = {f"{i}-{j}": int(rng.integers(-8, 9)) for i in range(n) for j in range(i + 1, n)}
    for key, p in positions.items():
        slide(driver, key, p)
    cr, m = _check_cr(driver, n, positions, lang="de")
    assert cr > 0.1 and driver.find_element("id", "cr-worst").text
    driver.find_element("css selector", "input[name=format][value=json]").click()
    text = create(driver)
    doc = json.loads(text)
    assert doc["group"] == "politik" and len(doc["judgements"]) == n * (n - 1) // 2
    name = driver.find_element("id", "result").get_attribute("data-file")
    assert name == "politik-pairwise.json"
    got = engine_weights(case, text, name, "politik")
    assert_same(got, expected(case, "goals", goals, ahp(m).weights))


def test_points_on_the_leverkusen_goals_with_a_respondent(driver, pages, copy):
    case = copy("leverkusen-2040")
    goals = list(load_case(case).goal_ids)
    open_page(driver, pages["leverkusen"], group="buergerschaft", level="goals", method="points")
    respondent = 'O\'Brien "R017" \\ #: - [ü ✓ 😀'
    type_into(driver, "respondent", respondent)
    values = [10] * len(goals)
    for g, v in zip(goals, values):
        type_into(driver, f"v-{g}", v)
    assert "Alle 100 Punkte" in driver.find_element("id", "status").text
    text = create(driver)
    assert yaml.safe_load(text)["respondent"] == respondent
    got = engine_weights(case, text, "buergerschaft-points.yaml", "buergerschaft")
    assert_same(got, expected(case, "goals", goals, values))


def test_hostile_names_stay_text(driver, tmp_path, tiny):
    page = tmp_path / "hostile.html"
    page.write_text(build_form(load_case(hostile_case(tiny))), encoding="utf-8")
    open_page(driver, page, level="criteria", method="points")
    assert driver.execute_script("return window.__pwned") is None
    assert driver.find_element("tag name", "h1").text == HOSTILE
    assert HOSTILE in driver.find_element("id", "panel").text
    assert not driver.find_elements("css selector", "#panel img, h1 img, select img")


def _png_colours(png: bytes) -> int:
    """How many distinct pixel rows a PNG has (1: one colour all over)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, head = 8, [], None
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            head = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    width = head[0]
    stride = 1 + width * {2: 3, 6: 4}[head[3]]
    rows = {raw[k * stride + 1 : (k + 1) * stride] for k in range(len(raw) // stride)}
    return len({bytes(r) for r in rows}) + len(set(raw[1:stride]))


def test_screenshot_and_a_phone(driver, pages):
    open_page(driver, pages["tiny-de"], group="buerger", method="ranking")
    assert _png_colours(driver.get_screenshot_as_png()) > 10
    driver.set_window_size(360, 740)  # a phone, or 200 % zoom on a small laptop
    try:
        for method in ("points", "pairwise", "ranking", "swing"):
            driver.find_element("css selector", f"input[name=method][value={method}]").click()
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, method
    finally:
        driver.set_window_size(1200, 900)
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id || e.name)"
    )
    assert labels == []
