"""The live dashboard, for real: a running server answered over HTTP and WebSocket, and
a headless Chromium that watches, pauses, steps and plays the bundled quest cartridge.

Screenshots of the page go to ``tmp_path`` and, when ``EEVEE_SCREENSHOTS`` names a
folder, there too.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import chrome, save_shot

from eevee.cartridges.registry import get
from eevee.dashboard import Dashboard
from eevee.dashboard.server import apply_command, is_loopback
from eevee.emulator import Buttons, Emulator, open_emulator
from eevee.errors import ConfigError
from eevee.profiles import VariableReader, load_profile
from eevee.runner.live import LiveState

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AREAS = ["town", "elder's house", "clinic", "forest", "hermit's hut", "shrine path",
         "shrine", "far fields"]


def http_get(url: str) -> tuple[int, bytes]:
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def ws_messages(url: str, sends: list[dict[str, Any]], seconds: float) -> list[Any]:
    """Connect, send ``sends``, collect messages for ``seconds``; a close becomes
    ``("closed", code)`` at the end of the list."""
    import websockets

    async def run() -> list[Any]:
        got: list[Any] = []
        async with websockets.connect(url, open_timeout=5) as ws:
            for msg in sends:
                await ws.send(json.dumps(msg))
            end = time.monotonic() + seconds
            try:
                while (left := end - time.monotonic()) > 0:
                    try:
                        got.append(json.loads(await asyncio.wait_for(ws.recv(), left)))
                    except asyncio.TimeoutError:
                        break
            except websockets.ConnectionClosed as closed:
                got.append(("closed", closed.rcvd.code if closed.rcvd else None))
        return got

    return asyncio.run(run())


def screen(value: int) -> np.ndarray:
    return np.full((160, 240, 3), value, np.uint8)


# ---------------------------------------------------------------------------- server
def test_binds_loopback_by_default() -> None:
    with Dashboard(LiveState()) as dash:
        assert dash.host == "127.0.0.1"
        assert dash.address is not None and dash.address[0] == "127.0.0.1"
        assert dash.port == dash.address[1] > 0
        assert dash.url == f"http://127.0.0.1:{dash.port}/"
        status, body = http_get(dash.url)
        assert status == 200 and b'id="frame"' in body


def test_non_loopback_host_needs_a_token_before_binding() -> None:
    with pytest.raises(ConfigError, match="token") as err:
        Dashboard(LiveState(), host="0.0.0.0")
    assert "\n" not in str(err.value) and "--token" in str(err.value)
    with pytest.raises(ConfigError):
        Dashboard(LiveState(), host="192.168.1.5", token="")
    Dashboard(LiveState(), host="0.0.0.0", token="secret")  # constructed, never started
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")


def test_token_is_required_on_http_and_websocket() -> None:
    live = LiveState()
    overlay = screen(0)
    overlay[::8] = 255
    live.publish(42, screen(90), {"objective": {"name": "o"}, "overlay": overlay})
    with Dashboard(live, token="s3cret") as dash:
        base = f"http://127.0.0.1:{dash.port}"
        assert dash.url == base + "/?token=s3cret"
        for path in ("/", "/state", "/frame.png"):
            assert http_get(base + path)[0] == 403
            assert http_get(base + path + "?token=wrong")[0] == 403
        status, page = http_get(base + "/?token=s3cret")
        assert status == 200 and b'id="objective"' in page
        status, png = http_get(base + "/frame.png?token=s3cret")
        assert status == 200 and png.startswith(PNG_MAGIC)
        status, state = http_get(base + "/state?token=s3cret")
        info = json.loads(state)
        assert status == 200 and info["frame"] == 42 and "overlay" not in info
        ws = f"ws://127.0.0.1:{dash.port}/ws"
        assert ws_messages(ws + "?token=wrong", [], 2.0) == [("closed", 1008)]
        assert ws_messages(ws, [], 2.0) == [("closed", 1008)]
        first = ws_messages(ws + "?token=s3cret", [], 0.5)[0]
    assert first["type"] == "frame" and first["frame"] == 42
    assert first["objective"] == {"name": "o"} and "overlay" not in first
    assert base64.b64decode(first["frame_png"]).startswith(PNG_MAGIC)
    assert base64.b64decode(first["overlay_png"]).startswith(PNG_MAGIC)


def test_commands_are_validated_strictly() -> None:
    live = LiveState()
    ignored = ['{"cmd": "format_disk"}', '{"cmd": "keys", "buttons": "1"}',
               '{"cmd": "keys", "buttons": true}', '{"cmd": "step", "frames": 1.5}',
               '{"cmd": "keys"}', "not json", "[]", "null", "x" * 5000]
    assert [apply_command(live, raw) for raw in ignored] == [None] * len(ignored)
    assert apply_command(live, '{"cmd": "keys", "buttons": 65535}') == "keys"
    assert live.keys == 0x3FF
    apply_command(live, '{"cmd": "step", "frames": 100000}')
    assert sum(live.take_step() for _ in range(700)) == 600
    apply_command(live, '{"cmd": "step", "frames": -5}')
    assert sum(live.take_step() for _ in range(5)) == 1
    with Dashboard(live) as dash:
        ws = f"ws://127.0.0.1:{dash.port}/ws"
        got = ws_messages(ws, [{"cmd": "pause"}, {"cmd": "keys", "buttons": 64},
                               {"cmd": "bogus"}], 0.6)
        assert live.paused and live.keys == 64
        assert {"type": "status", "paused": True} .items() <= got[-1].items()
        ws_messages(ws, [{"cmd": "resume"}], 0.3)
        assert not live.paused


def test_pushes_at_most_ten_a_second_and_only_on_change() -> None:
    live = LiveState()
    live.publish(0, screen(0), {})
    stop = threading.Event()

    def publish_fast() -> None:  # 100 publications a second
        n = 0
        while not stop.is_set():
            n += 1
            live.publish(n, screen(n % 256), {"frame": n})
            time.sleep(0.01)

    with Dashboard(live) as dash:
        ws = f"ws://127.0.0.1:{dash.port}/ws"
        idle = ws_messages(ws, [], 0.6)
        assert [m["type"] for m in idle] == ["frame"]  # one frame, then nothing new
        thread = threading.Thread(target=publish_fast, daemon=True)
        thread.start()
        try:
            busy = ws_messages(ws, [], 1.5)
        finally:
            stop.set()
            thread.join()
    frames = [m["frame"] for m in busy if m["type"] == "frame"]
    assert 8 <= len(frames) <= 17 and frames == sorted(set(frames))


# ---------------------------------------------------------------------------- browser
class Game(threading.Thread):
    """The quest cartridge played at 60 Hz like the runner will: held buttons from
    ``live.keys``, honouring pause and step, publishing every 6th frame."""

    def __init__(self, emu: Emulator, live: LiveState) -> None:
        super().__init__(name="quest-loop", daemon=True)
        self.emu, self.live = emu, live
        self.reader = VariableReader(load_profile(get("quest").profile_path))
        self.frame = 0
        self.values = self.reader.read(emu)
        self.halt = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.halt.is_set():
            if self.live.paused and not self.live.take_step():
                time.sleep(0.005)
                start = time.monotonic() - self.frame / 60
                continue
            self.emu.step(self.live.keys, 1)
            self.frame += 1
            if self.frame % 6 == 0:
                self.values = self.reader.read(self.emu)
                shot = self.emu.screen()
                self.live.publish(self.frame, shot, self.info(shot))
            time.sleep(max(0.0, start + self.frame / 60 - time.monotonic()))

    def info(self, shot: np.ndarray) -> dict[str, Any]:
        """An info dict shaped like the runner's."""
        v = self.values
        x, y = v["player_x"], v["player_y"]
        overlay = shot.copy()
        overlay[::16, :] = (255, 255, 0)
        overlay[:, ::16] = (255, 255, 0)
        info: dict[str, Any] = {
            "frame": self.frame, "time_s": self.frame / 60, "game": "quest",
            "time_mode": "realtime", "area": AREAS[v["area"] % len(AREAS)], "cell": [x, y],
            "objective": {"name": "test objective", "reason": "the dashboard test",
                          "priority": 5, "target": [x + 2, y]},
            "plan": [[x, y], [x + 1, y], [x + 2, y]],
            "quests": [{"name": "main", "status": "active", "priority": 10},
                       {"name": "side", "status": "unknown", "priority": None}],
            "latency": {"reactive": {"p50_us": 12.5, "p99_us": 40.25},
                        "tactical": {"p50_us": 300.0, "p99_us": 900.0}},
            "deadline_misses": 0,
            "strategist_calls": [{"frame": 0, "trigger": "start", "objective": "explore",
                                  "reasoning": "nothing known yet", "latency_ms": 0.4},
                                 {"frame": 6, "trigger": "new area",
                                  "objective": "test objective",
                                  "reasoning": "the test says so", "latency_ms": 1.2}],
            "overlay": overlay,
        }
        if self.frame == 6:
            rows = ["#" * 24] + ["#" + "." * 22 + "#"] * 14 + ["#" * 11 + "D" + "#" * 12]
            info["maps"] = {"town": {"width": 24, "height": 16, "rows": rows,
                                     "legend": {"#": "wall", ".": "floor", "D": "door"}}}
        return info


def start_quest(emu: Emulator, reader: VariableReader) -> None:
    """Press START at the title until the overworld shows."""
    for i in range(300):
        emu.step(Buttons.START if i % 20 == 10 else Buttons.NONE, 1)
        if i > 10 and reader.read(emu)["game_mode"] == 1:
            return
    raise AssertionError("START did not reach the overworld")


@pytest.fixture
def played() -> Iterator[tuple[Game, Dashboard]]:
    cart = get("quest")
    if not cart.built:
        pytest.skip("quest ROM not built")
    emu = open_emulator(cart.rom_path, backend="retro", subprocess=True)
    live = LiveState()
    game = Game(emu, live)
    try:
        start_quest(emu, game.reader)
        game.start()
        with Dashboard(live) as dash:
            yield game, dash
    finally:
        game.halt.set()
        if game.is_alive():
            game.join(5)
        emu.close()


def test_browser_watches_pauses_steps_and_plays(played: tuple[Game, Dashboard],
                                                tmp_path: Path) -> None:
    game, dash = played
    driver = chrome()
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    def text(id_: str) -> str:
        return str(driver.find_element(By.ID, id_).text)

    def until(check: Callable[[], Any], what: str, seconds: float = 10) -> None:
        WebDriverWait(driver, seconds, 0.05).until(lambda _: check(), what)

    try:
        driver.get(dash.url)
        src = lambda: driver.find_element(By.ID, "frame").get_attribute("src") or ""  # noqa: E731
        until(lambda: src().startswith("data:image/png;base64,"), "no frame arrived")
        first = src()
        until(lambda: src() != first, "the frame never changed")
        until(lambda: "test objective" in text("objective"), "objective not shown")
        until(lambda: "town" in text("maps") and "reactive" in text("latency"), "panels")
        assert "main" in text("quests") and "3 cells" in text("plan")
        assert "new area" in text("calls") and text("status") == "running"
        save_shot(driver, tmp_path, "dashboard_running.png")

        driver.find_element(By.ID, "pause").click()
        until(lambda: text("status") == "paused", "status never said paused")
        time.sleep(0.3)
        paused_at, shown = game.frame, text("frame-no")
        time.sleep(0.6)
        assert game.frame == paused_at and text("frame-no") == shown  # the game stopped

        steps = driver.find_element(By.ID, "step-frames")
        steps.clear()
        steps.send_keys("6")
        driver.find_element(By.ID, "step").click()
        until(lambda: game.frame == paused_at + 6, "Step did not run 6 frames", 5)
        until(lambda: text("frame-no") != shown, "the stepped frame was not shown", 5)
        Select(driver.find_element(By.ID, "view")).select_by_value("both")
        assert driver.find_element(By.ID, "overlay").is_displayed()
        save_shot(driver, tmp_path, "dashboard_paused.png")
        Select(driver.find_element(By.ID, "view")).select_by_value("frame")

        driver.find_element(By.ID, "resume").click()
        until(lambda: text("status") == "running", "status never said running")
        resumed = int(text("frame-no"))
        until(lambda: int(text("frame-no")) > resumed + 12, "frames did not go on")

        before = (game.values["player_x"], game.values["player_y"])
        driver.execute_script("document.body.focus();")
        for key in (Keys.ARROW_UP, Keys.ARROW_DOWN):  # DOWN if a wall blocks UP
            ActionChains(driver).key_down(key).pause(0.5).key_up(key).perform()
            time.sleep(0.4)  # the step finishes and is published
            after = (game.values["player_x"], game.values["player_y"])
            if after != before:
                break
        assert after != before, "holding an arrow key on the page did not move the player"
        assert game.live.keys == 0  # released on keyup
        assert driver.execute_script("return window.scrollY") == 0  # arrows did not scroll
        save_shot(driver, tmp_path, "dashboard_moved.png")
    finally:
        driver.quit()
