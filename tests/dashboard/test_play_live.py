"""``eevee play --dashboard`` and ``--human`` for real: the command serves the page, a
headless Chromium watches the agent play (frames, objective, pause and resume), and a
person's play through the page's keyboard is recorded and replays bit-exactly."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chrome, save_shot

from eevee.cartridges.registry import get
from eevee.emulator import Buttons
from eevee.profiles import VariableReader, load_profile
from eevee.replay.reader import read_recording
from eevee.replay.replayer import frames, open_for, replay


@pytest.fixture
def eevee_play(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[str], str]]]:
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "eevee.cli.main", "play", "--port", "0", "--quiet",
             "--screenshot-every", "0", "--out", str(tmp_path / "run"), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stderr is not None
        for _ in range(50):
            line = proc.stderr.readline()
            if line.startswith("dashboard: "):
                return proc, line.split(" ", 1)[1].strip()
            if not line and proc.poll() is not None:
                break
        raise AssertionError(f"no dashboard URL: {proc.stderr.read()}")

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(10)


def _until(check: Callable[[], Any], what: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_play_dashboard_shows_the_agent_and_pauses_it(
        eevee_play: Callable[..., tuple[subprocess.Popen[str], str]], tmp_path: Path) -> None:
    driver = chrome()
    proc, url = eevee_play("--dashboard", "--frames", "1200", "--until", "frames")
    assert url.startswith("http://127.0.0.1:")
    from selenium.webdriver.common.by import By

    def text(id_: str) -> str:
        return str(driver.find_element(By.ID, id_).text).strip()

    def frame_no() -> int:
        digits = "".join(ch for ch in text("frame-no") if ch.isdigit())
        return int(digits) if digits else -1

    def src() -> str:
        return str(driver.find_element(By.ID, "frame").get_attribute("src") or "")

    try:
        driver.get(url)
        _until(lambda: frame_no() > 0, "frames to arrive")
        first = src()
        _until(lambda: src() != first, "the frame to change")
        _until(lambda: text("objective") not in ("", "–", "-", "none"), "an objective")
        driver.find_element(By.ID, "pause").click()
        _until(lambda: "paused" in text("status"), "the page to say paused")
        held = frame_no()
        time.sleep(1.0)
        assert frame_no() - held <= 6, "frames kept coming while paused"
        save_shot(driver, tmp_path, "play-dashboard-paused.png")
        driver.find_element(By.ID, "resume").click()
        _until(lambda: frame_no() > held + 30, "frames after resume")
        save_shot(driver, tmp_path, "play-dashboard-running.png")
        # what the agent knows of the cells on screen, drawn over the frame
        from selenium.webdriver.support.ui import Select

        Select(driver.find_element(By.ID, "view")).select_by_value("both")
        _until(lambda: driver.find_element(By.ID, "cells").is_displayed(), "the overlay")
        save_shot(driver, tmp_path, "play-dashboard-overlay.png")
    finally:
        driver.quit()
    assert proc.wait(60) == 0
    assert replay(read_recording(tmp_path / "run")).exact


def test_a_persons_play_on_the_page_moves_the_player_and_replays_exactly(
        eevee_play: Callable[..., tuple[subprocess.Popen[str], str]], tmp_path: Path) -> None:
    driver = chrome()
    proc, url = eevee_play("--human", "--frames", "1200")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    try:
        driver.get(url)
        _until(lambda: driver.find_element(By.ID, "frame").get_attribute("src"),
               "frames to arrive")
        body = driver.find_element(By.TAG_NAME, "body")
        body.click()
        for _ in range(3):  # START at the title
            ActionChains(driver).key_down(Keys.ENTER).pause(0.15).key_up(Keys.ENTER).perform()
            time.sleep(0.5)
        for key in (Keys.ARROW_UP, Keys.ARROW_LEFT, Keys.ARROW_DOWN):
            ActionChains(driver).key_down(key).pause(0.6).key_up(key).perform()
        save_shot(driver, tmp_path, "play-human.png")
    finally:
        driver.quit()
    assert proc.wait(60) == 0
    rec = read_recording(tmp_path / "run")
    held = set(rec.buttons.tolist())
    assert {int(Buttons.START), int(Buttons.UP), int(Buttons.LEFT)} <= held, held
    assert rec.header["agent"].startswith("a person")
    result = replay(rec)
    assert result.exact, result.line()
    # the player walked: where the overworld began vs where the run ended
    reader = VariableReader(load_profile(get("quest").profile_path))
    places = []
    with open_for(rec) as emu:
        for _ in frames(rec, emu):
            v = reader.read(emu)
            if v["game_mode"] == 1:
                places.append((v["player_x"], v["player_y"]))
    assert places and len(set(places)) > 2, places[:5]
