"""Drive Label Studio's labeling page as an annotator does: real mouse drags, clicks and keys.

Offsets are found in the page itself: the text of the Text object is walked node by node, counting
code points (a `<br>` is the newline it stands for), and the screen rectangle of the first and the
last character of a span is where the mouse presses and lets go.
"""

from __future__ import annotations

from typing import Any

CHARACTER_BOXES = r"""
async ([start, end]) => {
  window.getSelection().removeAllRanges();  // as after a region is made: a press starts a new selection
  const root = document.querySelector('.lsf-richtext__container');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let position = 0, node, first = null, last = null;
  while ((node = walker.nextNode())) {
    if (node.nodeType === Node.ELEMENT_NODE) { if (node.tagName === 'BR') position += 1; continue; }
    let unit = 0;
    for (const ch of node.nodeValue) {
      if (position === start) first = [node, unit, ch.length];
      if (position === end - 1) last = [node, unit, ch.length];
      position += 1; unit += ch.length;
    }
  }
  if (!first || !last) return null;
  const box = ([n, u, l]) => {
    const range = document.createRange(); range.setStart(n, u); range.setEnd(n, u + l);
    const rects = range.getClientRects();
    const b = rects[rects.length - 1] || range.getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
  };
  first[0].parentElement.scrollIntoView({block: 'center'});
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));  // laid out
  return {first: box(first), last: box(last)};
}
"""


def sign_in(page: Any, url: str, email: str, password: str) -> None:
    """Log in through Label Studio's own login form."""
    page.goto(f"{url}/user/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def sign_up(page: Any, invite_url: str, email: str, password: str) -> None:
    """Join with the organization's invite link: Label Studio's sign-up form, which signs the new
    account in."""
    page.goto(invite_url)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/user/signup" not in page.url, page.url  # signed up and in


def open_labeling(page: Any, url: str, project_id: int) -> None:
    """Open the labeling stream of a project at its first task."""
    page.goto(f"{url}/projects/{project_id}/data?labeling=1")
    page.wait_for_selector(".lsf-richtext__container")
    page.wait_for_timeout(800)


def drag(page: Any, start: int, end: int, pause_ms: int = 0) -> None:
    """Select the code points [start, end) of the text with one mouse drag: press on the first
    character, move over the middle, release on the last. `pause_ms` between the steps paces it as
    a hand does: Label Studio needs it to make a region with the chosen label where the press lands
    on another region (a hand is never quicker than about a tenth of a second there)."""
    boxes = page.evaluate(CHARACTER_BOXES, [start, end])  # scrolled into view first
    assert boxes is not None, f"no characters [{start},{end}) on the page"
    first, last = boxes["first"], boxes["last"]
    y1, y2 = (first["top"] + first["bottom"]) / 2, (last["top"] + last["bottom"]) / 2
    page.mouse.move(first["left"] + 0.5, y1)  # no click first: a click on a region selects it (and its label)
    page.mouse.down()
    for x, y in (((first["left"] + last["right"]) / 2, (y1 + y2) / 2), (last["right"] - 0.5, y2)):
        if pause_ms:
            page.wait_for_timeout(pause_ms)
        page.mouse.move(x, y)
    if pause_ms:
        page.wait_for_timeout(pause_ms)
    page.mouse.up()


def click_text(page: Any, start: int, end: int) -> None:
    """Click the middle character of the code points [start, end) of the text, as an annotator
    clicks a word (the region under it is whichever Label Studio puts there)."""
    middle = (start + end - 1) // 2
    boxes = page.evaluate(CHARACTER_BOXES, [middle, middle + 1])
    assert boxes is not None, f"no character {middle} on the page"
    box = boxes["first"]
    page.mouse.click((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2)
    page.wait_for_timeout(150)


def label(page: Any, hotkey: str, start: int, end: int) -> None:
    """Pick a label by its hotkey, then drag over its span: a region, as an annotator makes one."""
    page.keyboard.press("Escape")  # nothing selected, so the hotkey picks a label
    page.keyboard.press(hotkey)
    drag(page, start, end, pause_ms=100)
    page.wait_for_timeout(150)


def select_region(page: Any, label_name: str, text: str) -> None:
    """Click a region in the Regions panel."""
    page.locator(".lsf-outliner-item__content", has_text=label_name).filter(has_text=text).first.click()
    page.wait_for_timeout(200)


def relate(page: Any, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Draw a relation: select the source region, Alt+R, click the target region."""
    select_region(page, *source)
    page.keyboard.press("Alt+r")
    page.wait_for_timeout(150)
    select_region(page, *target)
    page.keyboard.press("Escape")


def choice(page: Any, heading: str, value: str, group: str = "ng-region") -> Any:
    """The checkbox label of `value` in the Choices right under the header `heading`, in the box
    `group` of the config: "ng-region" (the selected region's) or "ng-document" (the article's)."""
    return page.locator(f"xpath=//div[contains(concat(' ', @class, ' '), ' {group} ')]//h4[normalize-space()="
                        f"'{heading}']/following-sibling::div[contains(@class,'lsf-choices')][1]"
                        f"//label[.//input[@name='{value}']]").first


def document_choice(page: Any, heading: str, value: str) -> Any:
    """The checkbox label of `value` under `heading` in the box of the whole article's controls."""
    return choice(page, heading, value, group="ng-document")


def is_chosen(page: Any, heading: str, value: str, group: str = "ng-region") -> bool:
    """Whether `value` is ticked under `heading` in `group`."""
    return bool(choice(page, heading, value, group).locator("input").is_checked())


def submit(page: Any, *, stored: bool = True) -> None:
    """Press Submit and wait until the server has answered the annotation it stores (`stored`), or,
    for a submission the page refuses, give it a moment to say why."""
    button = page.get_by_test_id("bottombar-submit-button")
    if not stored:
        button.click()
        page.wait_for_timeout(1500)
        return
    with page.expect_response(lambda r: "/annotations" in r.url and r.request.method == "POST") as answer:
        button.click()
    assert answer.value.ok, f"the server refused the annotation: {answer.value.status}"
    page.wait_for_timeout(250)  # the page takes the answer in (and opens the next task)
