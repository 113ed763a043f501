"""Cron schedules: the next fire times of random 5-field schedules (with TZ=/CRON_TZ= zones)
from random instants, many of them just before a daylight-saving change, by our CronSchedule
and by croniter.

The Inngest server runs robfig/cron v3, whose rules ours follows; where croniter decides
otherwise the allowlist rule re-runs croniter on a schedule that states robfig's reading
explicitly, and the case passes only if that agrees with ours."""

import datetime as dt
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter

COUNT = 5  # fire times compared per case
# Extra fires fetched when a known difference removes some from croniter's list: a repeated
# hour of a minutely schedule holds 60.
SLACK = 130
HORIZON_YEARS = 5  # ours (and robfig/cron) give up past the fifth year after the start

ZONES = [None, "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
         "America/Sao_Paulo", "Pacific/Chatham", "Europe/London", "America/St_Johns", "Asia/Kathmandu"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
# (field, lowest, highest written value, names)
FIELDS = [("minute", 0, 59, None), ("hour", 0, 23, None), ("dom", 1, 31, None),
          ("month", 1, 12, MONTHS), ("dow", 0, 6, DAYS)]


def transitions(zone, start_year=2024, end_year=2028):
    """UTC instants at which zone's offset changes, found by hourly scan refined to the minute."""
    tz = ZoneInfo(zone)
    found = []
    t = dt.datetime(start_year, 1, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(end_year, 1, 1, tzinfo=dt.timezone.utc)
    step = dt.timedelta(hours=1)
    previous = t.astimezone(tz).utcoffset()
    while t < end:
        nxt = t + step
        offset = nxt.astimezone(tz).utcoffset()
        if offset != previous:
            low, high = t, nxt
            while high - low > dt.timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == previous:
                    low = mid
                else:
                    high = mid
            found.append(int(high.timestamp()) // 60 * 60)
            previous = offset
        t = nxt
    return found


_TRANSITIONS = {}


def value_text(rng, value, names, field):
    if names and rng.random() < 0.25 and value < len(names) + (1 if field == "month" else 0):
        name = names[value - 1] if field == "month" else names[value]
        return rng.choice([name, name.upper(), name.capitalize()])
    return str(value)


def item(rng, field, low, high, names):
    r = rng.random()
    if field == "dow" and rng.random() < 0.05:
        return "7"  # cron's second Sunday
    if r < 0.3:
        return value_text(rng, rng.randint(low, high), names, field)
    if r < 0.55:
        a, b = sorted(rng.sample(range(low, high + 1), 2))
        text = value_text(rng, a, names, field) + "-" + value_text(rng, b, names, field)
        return text + ("/%d" % rng.randint(1, max(1, b - a)) if rng.random() < 0.3 else "")
    if r < 0.75:
        return "*/%d" % rng.randint(1, high - low)
    # a/n: from a to the end of the field
    return "%d/%d" % (rng.randint(low, high), rng.randint(1, high - low))


def field_text(rng, field, low, high, names):
    r = rng.random()
    if r < 0.35:
        return "?" if field in ("dom", "dow") and rng.random() < 0.1 else "*"
    if r < 0.45 and field in ("dom", "dow"):
        # Every value, but written as a range: robfig/cron counts it as restricted.
        return "1-31" if field == "dom" else rng.choice(["0-6", "SUN-SAT", "0-7"])
    return ",".join(item(rng, field, low, high, names) for _ in range(rng.choice([1, 1, 1, 2, 3])))


def schedule(rng):
    fields = [field_text(rng, *spec) for spec in FIELDS]
    # Dense minutes and hours make cases cheap for both; keep some sparse ones for the jumps.
    if rng.random() < 0.3:
        fields[2], fields[3] = "*", "*"
    return fields


# What each descriptor stands for (robfig/cron's table); croniter is given the fields.
DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
               "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
# Values outside a field, and a zero step: both must refuse them.
INVALID = ["60", "24", "0", "13", "8", "*/0"]


def generate(rng, count):
    cases = []
    for _ in range(count):
        zone = rng.choice(ZONES)
        fields = schedule(rng)
        text = " ".join(fields)
        r = rng.random()
        if r < 0.03:
            text = rng.choice(sorted(DESCRIPTORS))
            fields = DESCRIPTORS[text].split()
        elif r < 0.06:
            index = rng.randrange(5)
            fields[index] = INVALID[index] if rng.random() < 0.7 else "*/0"
            text = " ".join(fields)
        prefix = "" if zone is None else rng.choice(["TZ=", "CRON_TZ="]) + zone + " "
        if zone and zone not in _TRANSITIONS:
            _TRANSITIONS[zone] = transitions(zone)
        if zone and _TRANSITIONS[zone] and rng.random() < 0.6:
            # Just before a change: the next fires straddle it.
            start = rng.choice(_TRANSITIONS[zone]) - rng.randint(0, 6 * 3600)
        else:
            start = rng.randint(int(dt.datetime(2024, 1, 1).timestamp()), int(dt.datetime(2028, 1, 1).timestamp()))
        if rng.random() < 0.5:
            start = start // 60 * 60  # on a whole minute, which must not fire itself
        cases.append({"kind": "cron", "expr": prefix + text, "start": start, "count": COUNT,
                      "zone": zone or "UTC", "fields": fields})
    return cases


# --- reference ------------------------------------------------------------------------------

def reference(case, fields=None, day_or=True, extra=0):
    """croniter's fires, and extra more than compared, for dropping known artifacts."""
    fields = fields or case["fields"]
    tz = ZoneInfo(case["zone"])
    after = dt.datetime.fromtimestamp(case["start"], tz)
    fires = []
    try:
        iterator = croniter(" ".join(fields), after, day_or=day_or)
        for _ in range(case["count"] + extra):
            nxt = iterator.get_next(dt.datetime)
            if nxt.year > after.year + HORIZON_YEARS:
                break
            fires.append(int(nxt.timestamp()))
            after = nxt
    except CroniterBadDateError:
        pass  # nothing within croniter's own horizon: as many fires as were found
    except Exception as error:  # croniter's own parse errors (CroniterBadCronError, …)
        return {"error": "parse", "message": "%s: %s" % (type(error).__name__, error)}
    return {"fires": fires}


def _local(ts, zone):
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _value(text, names, field):
    text = text.lower()
    if names and text in names:
        return names.index(text) + (1 if field == "month" else 0)
    return int(text)


def robfig_field(text, field, low, high, names):
    """(values, starred) as robfig/cron parses a field: starred when an item is * or ? with no
    step above 1, which is what makes a day field unrestricted there."""
    values, starred = set(), False
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            a, b = low, high
            starred |= step == 1
        elif "-" in base:
            a, b = (_value(x, names, field) for x in base.split("-"))
        else:
            a = _value(base, names, field)
            b = max(high, a) if step_text else a
        values.update(0 if (field == "dow" and v == 7) else v for v in range(a, b + 1, step))
    return values, starred


def robfig_model(fields):
    return [robfig_field(text, *spec) for text, spec in zip(fields, FIELDS)]


def robfig_matches(model, wall):
    (minutes, _), (hours, _), (doms, dom_star), (months, _), (dows, dow_star) = model
    if wall.minute not in minutes or wall.hour not in hours or wall.month not in months:
        return False
    by_dom, by_dow = wall.day in doms, (wall.isoweekday() % 7) in dows
    return (by_dom and by_dow) if (dom_star or dow_star) else (by_dom or by_dow)


def _robfig_days(case):
    """croniter told to read the day fields as robfig/cron does: OR when both are restricted
    (a restricted field that allows every day makes every day match), AND otherwise."""
    model = robfig_model(case["fields"])
    (doms, dom_star), (dows, dow_star) = model[2], model[4]
    fields = list(case["fields"])
    if dom_star or dow_star:
        return reference(case, fields, day_or=False, extra=SLACK)
    if doms >= set(range(1, 32)) or dows >= set(range(7)):
        fields[2] = fields[4] = "*"
    return reference(case, fields, day_or=True, extra=SLACK)


def _drop_gap_artifacts(case, fires):
    """croniter moves a wall time that a spring-forward skips to the first minute after the
    gap (e.g. 03:00 for a 02:25 schedule); robfig/cron and ours skip it, and that minute does
    not match the schedule at all."""
    model = robfig_model(case["fields"])
    tz = ZoneInfo(case["zone"])
    return [t for t in fires if robfig_matches(model, dt.datetime.fromtimestamp(t, tz))]


def _drop_repeats(case, fires):
    """Ours fires a wall time that a fall-back repeats only once when the hour field is
    restricted (documented in CronSchedule+NextFireDate.swift); robfig/cron and croniter fire
    both occurrences."""
    hours = robfig_model(case["fields"])[1][0]
    if hours >= set(range(24)):
        return fires
    tz = ZoneInfo(case["zone"])
    kept = []
    for t in fires:
        local = dt.datetime.fromtimestamp(t, tz)
        naive = local.replace(tzinfo=None)
        # The same wall time at the other offset, an hour (or 30 min, Lord Howe) earlier.
        first = naive.replace(tzinfo=tz, fold=0)
        if local.fold == 1 and int(first.timestamp()) < t:
            continue
        kept.append(t)
    return kept


def _drop_half_hour_repeats(case, fires):
    """Of our fires, those in the second pass through a wall time that a fall-back of less than
    an hour repeats (Lord Howe's 30 minutes)."""
    tz = ZoneInfo(case["zone"])
    kept = []
    for t in fires:
        local = dt.datetime.fromtimestamp(t, tz)
        if local.fold == 1:
            earlier = local.replace(fold=0)
            if 0 < t - int(earlier.timestamp()) < 3600:
                continue
        kept.append(t)
    return kept


ADJUSTMENTS = [
    ("day-field-restriction", "robfig/cron (the server) ORs day-of-month and day-of-week when neither has a bare * or ? item (a full range such as 1-31 or 0-6 counts as restricted; * and */1 do not); croniter decides from the expanded values and the other field's text; checked by re-running croniter with robfig's choice"),
    ("croniter-dst-gap", "croniter fires a wall time skipped by a spring-forward at the first minute after the gap, which does not match the schedule; robfig/cron and ours skip it (checked: only fires that do not match the fields were dropped)"),
    ("croniter-half-hour-fall-back", "croniter does not repeat the wall times of a 30-minute fall-back (Australia/Lord_Howe) even when every hour is allowed, while it does for 1-hour ones; ours (like robfig/cron) fires both passes (checked: only our second-pass fires were dropped)"),
    ("fall-back-fires-once", "ours fires a wall time repeated by a fall-back once when the hour field is restricted (deliberate, documented in CronSchedule+NextFireDate.swift); robfig/cron and croniter fire twice (checked: only second occurrences were dropped)"),
]
REASONS = dict(ADJUSTMENTS)


def compare(case, ours, theirs):
    if "error" in ours and "error" in theirs:
        return "agree"
    if "fires" in ours and "fires" in theirs and ours["fires"] == theirs["fires"][:case["count"]]:
        return "agree"
    if "fires" in ours and "fires" in theirs:
        # Apply each known difference in turn, recording those that changed croniter's answer.
        used = []
        adjusted = _robfig_days(case)
        if adjusted.get("fires", [])[:len(theirs["fires"])] != theirs["fires"]:
            used.append("day-field-restriction")
        fires = adjusted.get("fires", [])
        for name, step in (("croniter-dst-gap", _drop_gap_artifacts), ("fall-back-fires-once", _drop_repeats)):
            kept = step(case, fires)
            if kept != fires:
                used.append(name)
            fires = kept
        mine = _drop_half_hour_repeats(case, ours["fires"])
        if mine != ours["fires"]:
            used.append("croniter-half-hour-fall-back")
        if used and mine == fires[:len(mine)] and (len(ours["fires"]) == case["count"] or len(fires) <= len(mine)):
            return ("allowed", "+".join(used))
    why = "ours %s, croniter %s" % (
        [_local(t, case["zone"]) for t in ours["fires"]] if "fires" in ours else ours,
        [_local(t, case["zone"]) for t in theirs["fires"][:case["count"]]] if "fires" in theirs else theirs)
    return ("fail", why + "; start %s" % _local(case["start"], case["zone"]))
