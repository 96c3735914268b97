#!/usr/bin/python3
"""Realistic call detail records and transcripts for the measurement tests, the benchmark and
the fuzzers' seed corpora. Everything is drawn from a seeded generator, so a file made twice is
the same file.

    calldata.py OUTDIR [ROWS]     writes calls.csv (GB18030), calls.xlsx, calls-utf8.csv and
                                   a few transcripts (text, SRT, WebVTT)
"""
import csv
import datetime
import io
import os
import random
import sys

HEADER = ["呼叫编号", "班组", "坐席工号", "队列", "来电时间", "等待时长", "等待秒数", "通话时长", "备注"]
TEAMS = ["一组", "二组", "三组", "四组"]
QUEUES = ["10000", "10000", "10000", "宽带", "政企"]
NOTES = ["", "", "", "", "已解决", '客户反映"网速慢"，已派单', "查询话费, 已告知", "投诉\n转二线"]


def rows(n, seed=20260301):
    rng = random.Random(seed)
    start = datetime.datetime(2026, 3, 1)
    for i in range(n):
        team = rng.randrange(len(TEAMS))
        agent = "A%03d" % (team * 10 + rng.randrange(10))
        day = rng.randrange(31)
        # calls bunch in the day; some at night
        hour = rng.choice([8, 9, 9, 10, 10, 10, 11, 14, 14, 15, 15, 16, 17, 19, 21, 23, 2])
        when = start + datetime.timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
        # about 88 % answered within 15 s
        wait = int(rng.expovariate(1 / 5.0)) if rng.random() < 0.95 else rng.randrange(16, 240)
        talk = rng.randrange(20, 900)
        yield {
            "呼叫编号": "C%07d" % (i + 1),
            "班组": TEAMS[team],
            "坐席工号": agent,
            "队列": rng.choice(QUEUES),
            "来电时间": when,
            "等待秒数": wait,
            "通话时长": talk,
            "备注": rng.choice(NOTES),
        }


def clock(seconds):
    return "%d:%02d" % (seconds // 60, seconds % 60)


def write_csv(path, n, encoding="gb18030", delimiter=","):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows(n):
        w.writerow([r["呼叫编号"], r["班组"], r["坐席工号"], r["队列"], r["来电时间"].strftime("%Y-%m-%d %H:%M:%S"),
                    clock(r["等待秒数"]), r["等待秒数"], clock(r["通话时长"]), r["备注"]])
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


def write_xlsx(path, n):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("话单")
    ws.append(HEADER)
    for r in rows(n):
        when = WriteOnlyCell(ws, value=r["来电时间"])
        when.number_format = "yyyy-mm-dd hh:mm:ss"
        wait = WriteOnlyCell(ws, value=datetime.timedelta(seconds=r["等待秒数"]))
        wait.number_format = "mm:ss"
        talk = WriteOnlyCell(ws, value=clock(r["通话时长"]))
        ws.append([r["呼叫编号"], r["班组"], r["坐席工号"], r["队列"], when, wait, r["等待秒数"], talk, r["备注"]])
    wb.save(path)


CLEAN_LINES = [
    "您好，中国电信10000号，工号A017为您服务，请问有什么可以帮您？",
    "好的，请您稍等，我帮您查询一下。",
    "您的宽带账号目前状态正常，我为您重新下发一次配置。",
    "感谢您的耐心等待，请问还有其他可以帮您的吗？",
    "请您重启一下光猫，大约两分钟后再试。",
    "给您带来不便，非常抱歉，我们会尽快处理。",
    "您反映的问题我已经记录，维修人员会在四小时内与您联系。",
    "感谢您的来电，祝您生活愉快，再见。",
]


def srt_time(ms):
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


def vtt_time(ms):
    return "%02d:%02d:%02d.%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


def write_srt(path, lines):
    out = []
    for i, line in enumerate(lines):
        out += [str(i + 1), "%s --> %s" % (srt_time(i * 4000), srt_time(i * 4000 + 3500)), line, ""]
    with open(path, "w", encoding="utf-8", newline="\r\n") as f:
        f.write("\n".join(out))


def write_vtt(path, lines):
    out = ["WEBVTT", ""]
    for i, line in enumerate(lines):
        out += ["%s --> %s" % (vtt_time(i * 4000), vtt_time(i * 4000 + 3500)), "<v 坐席>" + line, ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "calls.csv"), n)
    write_csv(os.path.join(out, "calls-utf8.csv"), min(n, 2000), encoding="utf-8-sig", delimiter=";")
    write_xlsx(os.path.join(out, "calls.xlsx"), n)
    write_srt(os.path.join(out, "clean.srt"), CLEAN_LINES)
    write_vtt(os.path.join(out, "clean.vtt"), CLEAN_LINES)
    dirty = CLEAN_LINES[:3] + ["你有完没完？我也没办法！"] + CLEAN_LINES[3:]
    write_srt(os.path.join(out, "dirty.srt"), dirty)
    write_vtt(os.path.join(out, "dirty.vtt"), dirty)
    with open(os.path.join(out, "dirty.txt"), "w", encoding="gb18030") as f:
        f.write("\n".join("坐席：" + l for l in dirty) + "\n")


if __name__ == "__main__":
    main()
