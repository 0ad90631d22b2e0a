"""A demo newsroom for development: nested sections, fictional authors with portraits, and a
dozen made-up stories with generated photos, published through Wagtail's own flow (so the
project's signal handlers file, cache and purge them as they do any article). Idempotent:
demo articles are known by slug under their section, authors by slug, images by title
("Demo: ..."); whatever exists already, demo or not, is left exactly as it is."""

import colorsys
import io
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from .blocks import PlainTextParagraph
from .conf import default_byline_role
from .live import entries as live_entries
from .models import (
    AlertUrgency,
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    BreakingNewsAlert,
    HomePage,
    LiveCoveragePage,
    LiveEntry,
    SectionPage,
)

IMAGE_PREFIX = "Demo: "
IMAGE_CREDIT = "Newsroom demo image"


class DemoContentError(Exception):
    """The demo can't be loaded here; the message says why and what to do."""


@dataclass
class DemoReport:
    created_articles: int = 0
    created_authors: int = 0
    created_sections: int = 0
    created_images: int = 0
    created_alerts: int = 0
    unchanged: int = 0

    @property
    def created(self) -> int:
        return (
            self.created_articles
            + self.created_authors
            + self.created_sections
            + self.created_images
            + self.created_alerts
        )

    def summary(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

        return (
            f"Demo newsroom: created {count(self.created_articles, 'article')}, "
            f"{count(self.created_authors, 'author')}, "
            f"{count(self.created_sections, 'section')}, "
            f"{count(self.created_images, 'image')}, {count(self.created_alerts, 'alert')}; "
            f"{self.unchanged} unchanged."
        )


# -- the content --------------------------------------------------------------------------

# (path of titles below the home page); parents come before their children.
SECTIONS = [
    ("World", "Europe"),
    ("World", "Asia"),
    ("Business",),
    ("Science",),
    ("Opinion",),
]

AUTHORS = [
    {
        "name": "Mara Lindqvist",
        "role": "Europe correspondent",
        "bio": "Mara covers the fictional capitals of the Aldenmark coast for the demo "
        "newsroom. Before that she reported on ferries, fisheries and local councils.",
        "links": "https://example.org/mara-lindqvist\nhttps://social.example/@mara",
        "colour": (38, 92, 160),
    },
    {
        "name": "Keshav Iyer-Tanaka",
        "role": "Asia correspondent",
        "bio": "Keshav writes about trade, transport and technology in the imaginary port "
        "cities of the Suren Straits.",
        "links": "https://example.org/keshav-iyer-tanaka",
        "colour": (176, 64, 48),
    },
    {
        "name": "Ines Calloway",
        "role": "Business editor",
        "bio": "Ines edits the demo business pages: markets, energy and the companies of a "
        "country that does not exist.",
        "links": "https://example.org/ines-calloway\nhttps://social.example/@inescalloway",
        "colour": (46, 125, 82),
    },
    {
        "name": "Jonah Okafor-Bell",
        "role": "Science writer",
        "bio": "Jonah reports on research from the made-up Halvard Institute and reviews "
        "popular-science books nobody has written yet.",
        "links": "https://example.org/jonah-okafor-bell",
        "colour": (120, 66, 150),
    },
    {
        "name": "Helena Marchetti",
        "role": "Comment editor",
        "bio": "Helena runs the demo opinion pages and writes a weekly column about cities, "
        "trains and the people who plan them.",
        "links": "https://example.org/helena-marchetti",
        "colour": (196, 132, 30),
    },
]

# Hours before now; the newest is recent enough for the news sitemap (last 48 hours).
ARTICLES = [
    {
        "section": ("Top Stories",),
        "slug": "aldenmark-parliament-passes-coastal-rail-plan",
        "title": "Aldenmark parliament passes coastal rail plan after all-night session",
        "standfirst": "Lawmakers in the fictional republic approved a 20-year plan to link "
        "its six harbour towns by rail, ending months of deadlock.",
        "article_type": "news",
        "hours_ago": 2,
        "authors": ["mara-lindqvist"],
        "secondary": [("World", "Europe")],
        "tags": ["Transport", "Aldenmark", "Elections"],
        "image": ("Coastal rail at dawn", (40, 90, 170), (240, 170, 90)),
        "alt": "An illustrated railway line running along a coast at dawn",
        "caption": "The planned line would follow the coast between Port Alder and Vessby.",
        "body": [
            "The Aldenmark parliament approved the coastal rail plan by 61 votes to 48 shortly "
            "before six in the morning, after a debate that ran through the night.",
            "The plan, which its backers call the Harbour Line, would connect the six harbour "
            "towns of the republic's west coast by 2045, replacing a patchwork of ferries and "
            "single-lane roads.",
            "Opponents argued that the cost, estimated at 14 billion aldens, would crowd out "
            "spending on hospitals. Supporters said the towns had waited long enough.",
            "“This is the first time in a generation that the coast has been given a timetable "
            "instead of a promise,” said Transport Minister Edda Holm, a fictional character.",
            "Work on the first stretch, between Port Alder and Vessby, is due to start next "
            "spring, pending a final environmental review.",
        ],
        "update": "Adds the final vote count and the minister's comments.",
    },
    {
        "section": ("World", "Asia"),
        "slug": "suren-straits-port-opens-automated-terminal",
        "title": "Suren Straits port opens automated container terminal",
        "standfirst": "The new terminal at Kessa Bay can unload a ship in half the time, "
        "its operators say, but dock workers fear for their jobs.",
        "article_type": "news",
        "hours_ago": 7,
        "authors": ["keshav-iyer-tanaka"],
        "secondary": [("Business",)],
        "tags": ["Trade", "Technology", "Suren Straits"],
        "image": ("Cranes over Kessa Bay", (20, 110, 130), (250, 220, 120)),
        "alt": "Stylised cranes over a harbour under a yellow sky",
        "caption": "The terminal's twelve cranes are controlled from a building on shore.",
        "body": [
            "The first fully automated container terminal in the Suren Straits opened on "
            "Tuesday at Kessa Bay, a port city of 900,000 people in the fictional region.",
            "Its operator, Kessa Port Holdings, says the terminal's remote-controlled cranes "
            "and driverless trucks will cut the time a ship spends in port by half.",
            "The dock workers' union staged a short protest at the gates, saying that more than "
            "a thousand jobs could go over the next five years.",
            "The port authority has promised a retraining fund and says no permanent employee "
            "will be dismissed before the end of the decade.",
        ],
    },
    {
        "section": ("Science",),
        "slug": "halvard-institute-maps-deep-sea-vents",
        "title": "Halvard Institute maps a field of deep-sea vents in unprecedented detail",
        "standfirst": "A robotic survey of the Mirren Trench found more than 300 hydrothermal "
        "vents, three times as many as expected.",
        "article_type": "news",
        "hours_ago": 16,
        "authors": ["jonah-okafor-bell"],
        "secondary": [],
        "tags": ["Climate", "Oceans", "Research"],
        "image": ("Vents on the sea floor", (10, 30, 80), (30, 170, 190)),
        "alt": "An illustration of glowing vents on a dark blue sea floor",
        "caption": "A rendering of the vent field, based on the survey's sonar data.",
        "body": [
            "Researchers at the Halvard Institute, a fictional oceanographic centre, have "
            "published the most detailed map yet of the vent field in the Mirren Trench.",
            "The survey, carried out by two autonomous submarines over eleven weeks, found 317 "
            "active vents at depths between 2,000 and 3,400 metres.",
            "The vents support communities of tube worms and shrimp that live without "
            "sunlight, feeding on bacteria that draw energy from chemicals in the water.",
            "The team says the map will help decide which parts of the trench should be "
            "protected from deep-sea mining, which the regional council is due to debate.",
        ],
        "body_image": {
            "image": ("Survey submarine", (230, 120, 40), (20, 40, 90)),
            "alt_text": "A drawing of a yellow robotic submarine with two lights",
            "caption": "One of the two autonomous submarines that carried out the survey.",
        },
    },
    {
        "section": ("Business",),
        "slug": "aldenmark-central-bank-holds-rates",
        "title": "Aldenmark central bank holds rates as energy prices ease",
        "standfirst": "The bank kept its main rate at 3.25 per cent and said inflation "
        "should return to target next year.",
        "article_type": "news",
        "hours_ago": 27,
        "authors": ["ines-calloway"],
        "secondary": [("Top Stories",)],
        "tags": ["Energy", "Aldenmark", "Economy"],
        "image": ("Bank facade", (90, 90, 110), (200, 200, 220)),
        "alt": "A geometric drawing of a columned bank building in grey",
        "caption": "The central bank's headquarters in the fictional capital, Norrhavn.",
        "body": [
            "The Bank of Aldenmark left its main interest rate unchanged at 3.25 per cent on "
            "Thursday, as expected by most of the economists it surveys.",
            "Inflation fell to 2.9 per cent last month, helped by lower gas and electricity "
            "prices after a mild winter.",
            "The bank's governor said rates could fall later in the year if wage growth "
            "slows, but warned against expecting quick cuts.",
        ],
    },
    {
        "section": ("World", "Europe"),
        "slug": "vessby-fishermen-agree-quota-deal",
        "title": "Vessby fishermen agree quota deal with neighbouring Ostmark",
        "standfirst": "A three-year agreement ends a dispute over herring grounds that had "
        "kept boats in port for a month.",
        "article_type": "news",
        "hours_ago": 38,
        "authors": ["mara-lindqvist"],
        "secondary": [],
        "tags": ["Aldenmark", "Oceans", "Trade"],
        "image": ("Fishing boats in harbour", (30, 70, 120), (120, 200, 220)),
        "alt": "Simple shapes of fishing boats on blue water",
        "caption": "Boats in Vessby harbour, where most of the fleet stayed during the dispute.",
        "body": [
            "Fishing crews from Vessby will return to the northern herring grounds next week "
            "under a deal reached with the neighbouring (and equally fictional) Ostmark.",
            "The agreement splits the catch 55 to 45 in Ostmark's favour for three years, "
            "after which scientists will review the state of the stock.",
            "Skippers said the terms were not ideal but that another month in port would have "
            "put several family businesses under.",
            "Both governments said the deal showed that small coastal states could settle "
            "disputes without outside arbitration.",
        ],
        "correction": "An earlier version of this article gave the split of the catch the "
        "wrong way round: Ostmark gets 55 per cent, not Aldenmark.",
    },
    {
        "section": ("World",),
        "slug": "analysis-why-the-harbour-line-matters",
        "title": "Analysis: why the Harbour Line matters beyond Aldenmark",
        "standfirst": "The rail plan is a test of whether small states can still build big "
        "things, and its neighbours are watching.",
        "article_type": "analysis",
        "hours_ago": 46,
        "authors": ["mara-lindqvist", "ines-calloway:additional_reporting"],
        "secondary": [("World", "Europe"), ("Business",)],
        "tags": ["Transport", "Aldenmark", "Economy"],
        "image": ("Map of the Harbour Line", (60, 120, 80), (230, 230, 200)),
        "alt": "An abstract map with a line connecting six dots along a coast",
        "caption": "The six harbour towns the line would connect.",
        "body": [
            "For a country of four million people, a 14-billion-alden railway is not a "
            "transport project so much as a statement about what the state is for.",
            "The Harbour Line's backers argue it will bind the coast to the capital and keep "
            "young people from leaving. Its critics see a monument that will be late and over "
            "budget.",
            "Both may be right. Large rail projects in the region have, on average, opened "
            "four years late, according to the demo newsroom's own made-up tally.",
            "What makes this one different is its financing: a third is to come from a levy on "
            "port traffic, tying the railway's fortunes to those of the harbours it serves.",
            "If that model works, Ostmark and the Suren Straits authorities have both said "
            "they will study it closely.",
        ],
    },
    {
        "section": ("Opinion",),
        "slug": "opinion-our-cities-need-slower-streets",
        "title": "Opinion: our cities need slower streets, not wider roads",
        "standfirst": "Every new lane fills up within a year. It is time to design streets "
        "for the people who live on them.",
        "article_type": "opinion",
        "hours_ago": 60,
        "authors": ["helena-marchetti"],
        "secondary": [],
        "tags": ["Transport", "Cities"],
        "image": ("A quiet street", (200, 90, 60), (250, 210, 170)),
        "alt": "A drawing of a narrow street with trees and a cyclist",
        "caption": "Slower streets are cheaper to build and safer to cross.",
        "body": [
            "Every few years a city council somewhere discovers that traffic is bad and "
            "decides to widen a road. Every few years the new lanes fill up.",
            "The reason is no mystery: make driving easier and more people drive. The cure is "
            "just as well known, and just as rarely tried.",
            "Slower streets, with narrower lanes, more crossings and more trees, carry fewer "
            "cars but more people, and the shops along them do better, not worse.",
            "Port Alder's council should remember that when it votes on the ring road next "
            "month. The cheapest lane is the one we never build.",
        ],
        "quote": ("The cheapest lane is the one we never build.", "Helena Marchetti"),
    },
    {
        "section": ("Science",),
        "slug": "review-the-patient-ocean",
        "title": "Review: The Patient Ocean, a slow and beautiful book about tides",
        "standfirst": "A made-up oceanographer's debut is the rare science book that makes "
        "you want to read it twice.",
        "article_type": "review",
        "hours_ago": 75,
        "authors": ["jonah-okafor-bell"],
        "secondary": [("Opinion",)],
        "tags": ["Oceans", "Books"],
        "image": ("Waves and moon", (20, 50, 100), (180, 200, 240)),
        "alt": "Stylised waves under a pale moon",
        "caption": "The Patient Ocean is published by the fictional Larkspur Press.",
        "body": [
            "The Patient Ocean, by the fictional oceanographer Dr Saga Renholm, sets out to "
            "explain tides and ends up explaining much more.",
            "Each chapter follows one tide on one coast, from a fjord where the water barely "
            "moves to a bay where it races in faster than a person can run.",
            "Renholm is good on the physics and better on the people: the harbour masters, "
            "clam diggers and lighthouse keepers whose days are set by the moon.",
            "The final chapter, on rising seas, is the only one that hurries. Otherwise this "
            "is a patient book about patience, and a fine one.",
        ],
    },
    {
        "section": ("Business",),
        "slug": "sponsored-saving-for-your-first-home",
        "title": "Sponsored: five questions to ask before saving for your first home",
        "standfirst": "Brought to you by the fictional Norrhavn Savings Bank. Independent of "
        "the demo newsroom's journalism.",
        "article_type": "sponsored",
        "hours_ago": 90,
        "authors": [],
        "secondary": [],
        "tags": ["Economy", "Housing"],
        "image": ("Keys and a house", (230, 190, 60), (250, 245, 220)),
        "alt": "A drawing of a house shape and a key on a yellow background",
        "caption": "Paid content from Norrhavn Savings Bank, a fictional advertiser.",
        "credit": "Norrhavn Savings Bank (demo)",
        "body": [
            "How much do you need for a deposit? In Aldenmark, most lenders ask for at least "
            "ten per cent of the price of the home.",
            "How long will it take? Setting aside a fixed amount each month, however small, "
            "is the habit that matters most.",
            "Where should the money go? A savings account with a guaranteed rate is the usual "
            "choice for money you will need within five years.",
        ],
    },
    {
        "section": ("World", "Asia"),
        "slug": "kessa-bay-monsoon-floods-ease",
        "title": "Kessa Bay floods ease as monsoon rains move north",
        "standfirst": "Schools reopen in the port city after a week of flooding that forced "
        "12,000 people from their homes.",
        "article_type": "news",
        "hours_ago": 120,
        "authors": ["keshav-iyer-tanaka"],
        "secondary": [("Top Stories",)],
        "tags": ["Climate", "Suren Straits"],
        "image": ("Rain over the city", (60, 80, 110), (140, 170, 190)),
        "alt": "Grey rain clouds over simple city blocks",
        "caption": "Rain over the Old Town district of Kessa Bay earlier in the week.",
        "body": [
            "Floodwater receded across most of Kessa Bay on Friday as the heaviest monsoon "
            "rains moved north towards the hill towns of the Suren interior.",
            "The city's emergency office said 12,000 people had left their homes during the "
            "week, most of whom have now returned.",
            "Engineers credited a new set of floodgates on the Kessa river with keeping water "
            "out of the port, which stayed open throughout.",
            "Forecasters warned that a second band of heavy rain could arrive in ten days.",
        ],
    },
    {
        "section": ("Science",),
        "slug": "battery-startup-claims-cold-weather-breakthrough",
        "title": "Battery start-up claims a cold-weather breakthrough",
        "standfirst": "Norrhavn-based Frostcell says its cells keep 90 per cent of their "
        "charge at minus 20 degrees. Other researchers want to see the data.",
        "article_type": "news",
        "hours_ago": 150,
        "authors": ["jonah-okafor-bell", "ines-calloway:editing"],
        "secondary": [("Business",)],
        "tags": ["Energy", "Technology", "Research"],
        "image": ("Battery cells", (30, 140, 110), (210, 240, 230)),
        "alt": "Rows of green battery shapes on a pale background",
        "caption": "Frostcell's prototype cells, as shown by the fictional company.",
        "body": [
            "Frostcell, a fictional battery start-up in Norrhavn, says it has made lithium "
            "cells that lose little of their charge in deep cold.",
            "In tests the company ran itself, the cells kept 90 per cent of their capacity at "
            "minus 20 degrees, compared with about 70 per cent for today's common cells.",
            "Independent researchers at the Halvard Institute said the results were "
            "promising but had not yet been published or checked by others.",
            "The company plans to supply its first cells to a bus maker next winter.",
        ],
    },
    {
        "section": ("Top Stories",),
        "slug": "port-alder-votes-on-ring-road",
        "title": "Port Alder council delays vote on ring road",
        "standfirst": "Councillors want a new traffic study before deciding on the 2-billion-"
        "alden road, which has split the city.",
        "article_type": "news",
        "hours_ago": 190,
        "authors": ["helena-marchetti"],
        "secondary": [("World", "Europe")],
        "tags": ["Transport", "Cities", "Elections"],
        "image": ("Road interchange", (110, 110, 120), (230, 120, 80)),
        "alt": "A drawing of a curving road interchange at sunset",
        "caption": "The proposed ring road would circle the city's northern districts.",
        "body": [
            "Port Alder's city council has postponed its vote on the proposed ring road until "
            "the autumn, asking for a fresh study of the city's traffic.",
            "The road, first proposed eight years ago, would take lorries out of the city "
            "centre but cut through two parks.",
            "Residents' groups on both sides of the argument filled the council chamber, and "
            "the session was briefly suspended after shouting from the gallery.",
            "The ring road is expected to be a central issue in next year's local elections.",
        ],
    },
    {
        "section": ("World", "Europe"),
        "slug": "ostmark-opens-longest-bridge",
        "title": "Ostmark opens the region's longest road bridge",
        "standfirst": "The 9-kilometre crossing cuts the journey between Ostmark's two "
        "largest islands from an hour by ferry to seven minutes.",
        "article_type": "news",
        "hours_ago": 230,
        "authors": ["mara-lindqvist"],
        "secondary": [],
        "tags": ["Transport", "Ostmark"],
        "image": ("Bridge over the sound", (70, 130, 190), (240, 240, 250)),
        "alt": "A long bridge drawn as a white line over blue water",
        "caption": "The bridge spans the Kalv Sound in nine kilometres.",
        "body": [
            "Ostmark opened the nine-kilometre Kalv Sound bridge on Sunday, linking the "
            "fictional country's two largest islands by road for the first time.",
            "Thousands of people walked across the bridge before it opened to cars, and the "
            "ferry that made the crossing for 80 years sounded its horn a last time.",
            "The bridge was finished three months ahead of schedule and within its budget, a "
            "fact the transport ministry mentioned more than once.",
        ],
    },
]


# -- images -------------------------------------------------------------------------------


def _font(size: int):
    """Pillow's own font at `size` (a scalable one when Pillow has FreeType)."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ValueError, OSError):
        return ImageFont.load_default()


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness * factor)), s)
    return int(r * 255), int(g * 255), int(b * 255)


def lead_picture(label: str, top: tuple, bottom: tuple, *, seed: int) -> bytes:
    """A 1600x900 JPEG: a gradient from `top` to `bottom` with a few soft shapes."""
    width, height = 1600, 900
    mask = PILImage.linear_gradient("L").resize((width, height))
    picture = PILImage.composite(
        PILImage.new("RGB", (width, height), bottom),
        PILImage.new("RGB", (width, height), top),
        mask,
    )
    draw = ImageDraw.Draw(picture, "RGBA")
    # A low sun (or moon), hills and a horizon, placed differently for each picture.
    cx = 250 + (seed * 337) % 1100
    cy = 180 + (seed * 131) % 260
    radius = 90 + (seed * 53) % 90
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius), fill=(*_shade(bottom, 1.2), 200)
    )
    for i in range(3):
        x = (seed * 211 + i * 560) % width - 200
        hill_height = 220 + ((seed + i) * 97) % 200
        draw.ellipse(
            (x, height - hill_height, x + 900, height + hill_height),
            fill=(*_shade(top, 0.6 + i * 0.12), 170),
        )
    draw.rectangle((0, height - 90, width, height), fill=(*_shade(top, 0.45), 220))
    draw.text((60, height - 70), label, font=_font(40), fill=(255, 255, 255, 230))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def portrait(name: str, colour: tuple) -> bytes:
    """A 600x600 JPEG: a coloured square with the name's initials."""
    size = 600
    picture = PILImage.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((60, 60, size - 60, size - 60), fill=_shade(colour, 1.35))
    initials = "".join(part[0] for part in name.replace("-", " ").split()[:2]).upper()
    font = _font(220)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        ((size - (right - left)) / 2 - left, (size - (bottom - top)) / 2 - top),
        initials,
        font=font,
        fill=(255, 255, 255),
    )
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _demo_image(report: DemoReport, title: str, make_bytes):
    """The Wagtail image titled "Demo: <title>", made with `make_bytes()` if missing."""
    model = get_image_model()
    full_title = IMAGE_PREFIX + title
    image = model.objects.filter(title=full_title).order_by("pk").first()
    if image is not None:
        report.unchanged += 1
        return image
    name = f"demo-{slugify(title)}.jpg"
    image = model.objects.create(
        title=full_title, file=ImageFile(io.BytesIO(make_bytes()), name=name)
    )
    report.created_images += 1
    return image


# Live coverage: a storm over the demo's coast, with updates over the last hours
# (minutes ago, headline, text, flags).
LIVE_COVERAGE = {
    "title": "Storm Elena reaches the Aldenmark coast: live",
    "slug": "storm-elena-live",
    "section": ("World", "Europe"),
    "standfirst": "Ferries are suspended and the coastal rail line is closed as the storm "
    "makes landfall. Follow the latest here.",
    "authors": ["mara-lindqvist", "jonah-okafor-bell:photos"],
    "image": ("Storm over the harbour", (40, 60, 90), (120, 140, 160)),
    "alt": "Dark clouds over a harbour wall with waves breaking",
    "caption": "Waves break over the harbour wall at Velden.",
    "started_minutes_ago": 300,
    "entries": [
        (
            295,
            "Storm warning raised",
            "The coastal authority raised its warning to the "
            "highest level and asked residents near the shore to stay indoors.",
            "key",
        ),
        (280, "", "Ferry operators have cancelled every crossing until tomorrow morning.", ""),
        (
            262,
            "",
            "Schools in the three harbour districts will stay closed tomorrow, the council said.",
            "",
        ),
        (240, "", "Gusts of 110 km/h were measured at the lighthouse on the northern point.", ""),
        (221, "", "“We have never seen the water this high,” said a harbourmaster at Velden.", ""),
        (
            200,
            "Rail line closed",
            "The coastal rail line is closed between Velden and "
            "Orsund after a tree fell on the tracks.",
            "key",
        ),
        (182, "", "Emergency shelters have opened in the town halls of Velden and Brask.", ""),
        (160, "", "About 12,000 homes are without power, the grid operator says.", ""),
        (141, "", "Police closed the seafront road in Orsund as waves crossed it.", ""),
        (120, "", "The airport has suspended all departures for the evening.", ""),
        (96, "", "Volunteers are filling sandbags at the fire station in Brask.", ""),
        (71, "", "The storm's centre is expected to pass north of the coast around midnight.", ""),
        (45, "", "Power has been restored to about a third of the homes that lost it.", ""),
        (
            20,
            "",
            "The coastal authority says the peak of the storm surge is expected within the hour.",
            "",
        ),
        (
            250,
            "What we know so far",
            "Ferries and the coastal rail line are suspended, "
            "thousands of homes are without power and shelters are open. Stay away from the "
            "seafront.",
            "pinned",
        ),
    ],
}


# -- sections, authors, articles ----------------------------------------------------------


def _sections(report: DemoReport, home: HomePage) -> dict[tuple, SectionPage]:
    """Every section the demo files into, by its path of titles (existing ones reused)."""
    found: dict[tuple, SectionPage] = {}
    for title in ("Top Stories", "World"):
        section = SectionPage.objects.child_of(home).filter(title=title).first()
        if section is None:
            section = SectionPage.objects.child_of(home).filter(slug=slugify(title)).first()
        if section is None:
            raise DemoContentError(
                f"There is no “{title}” section: run `manage.py setup_newsroom` first."
            )
        found[(title,)] = section
    for path in SECTIONS:
        parent = found[path[:-1]] if len(path) > 1 else home
        slug = slugify(path[-1])
        section = SectionPage.objects.child_of(parent).filter(slug=slug).first()
        if section is not None:
            report.unchanged += 1
        else:
            parent = type(parent).objects.get(pk=parent.pk)  # fresh tree counters
            section = parent.add_child(instance=SectionPage(title=path[-1], slug=slug))
            section.save_revision().publish()
            report.created_sections += 1
        found[path] = section
    return found


def _authors(report: DemoReport) -> dict[str, Author]:
    authors = {}
    for spec in AUTHORS:
        slug = slugify(spec["name"])
        author = Author.objects.filter(slug=slug).first()
        if author is not None:
            report.unchanged += 1
        else:
            photo = _demo_image(
                report,
                f"Portrait of {spec['name']}",
                lambda spec=spec: portrait(spec["name"], spec["colour"]),
            )
            author = Author.objects.create(
                name=spec["name"],
                slug=slug,
                role=spec["role"],
                bio=spec["bio"],
                links=spec["links"],
                photo=photo,
            )
            report.created_authors += 1
        authors[slug] = author
    return authors


def _body(report: DemoReport, spec: dict, seed: int) -> list[tuple[str, object]]:
    body: list[tuple[str, object]] = [
        ("paragraph", PlainTextParagraph(text)) for text in spec["body"]
    ]
    if "quote" in spec:
        quote, attribution = spec["quote"]
        body.insert(2, ("quote", {"quote": quote, "attribution": attribution}))
    if "body_image" in spec:
        slot = spec["body_image"]
        label, top, bottom = slot["image"]
        image = _demo_image(report, label, lambda: lead_picture(label, top, bottom, seed=seed + 50))
        body.insert(
            2,
            (
                "image",
                {
                    "image": image,
                    "alt_text": slot["alt_text"],
                    "caption": slot["caption"],
                    "credit": IMAGE_CREDIT,
                },
            ),
        )
    return body


def _article(
    report: DemoReport,
    spec: dict,
    *,
    seed: int,
    now,
    sections: dict[tuple, SectionPage],
    authors: dict[str, Author],
) -> None:
    section = sections[spec["section"]]
    if ArticlePage.objects.child_of(section).filter(slug=spec["slug"]).exists():
        report.unchanged += 1
        return
    published = now - timedelta(hours=spec["hours_ago"])
    label, top, bottom = spec["image"]
    lead_image = _demo_image(report, label, lambda: lead_picture(label, top, bottom, seed=seed))
    corrections = []
    if "correction" in spec:
        corrections.append(
            ArticleCorrection(
                kind=ArticleCorrection.Kind.CORRECTION,
                text=spec["correction"],
                noted_at=published + timedelta(hours=5),
            )
        )
    if "update" in spec:
        corrections.append(
            ArticleCorrection(
                kind=ArticleCorrection.Kind.UPDATE,
                text=spec["update"],
                noted_at=published + timedelta(minutes=45),
            )
        )
    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        article_type=spec["article_type"],
        publication_date=published,
        live=False,
        lead_image=lead_image,
        lead_image_alt=spec["alt"],
        lead_image_caption=spec["caption"],
        lead_image_credit=spec.get("credit", IMAGE_CREDIT),
        body=_body(report, spec, seed),
        # "slug" (reporting) or "slug:role" (“ines-calloway:additional_reporting”).
        byline=[
            ArticleAuthor(author=authors[slug], contribution=role or default_byline_role())
            for slug, _, role in (entry.partition(":") for entry in spec["authors"])
        ],
        corrections=corrections,
        secondary_sections=[sections[path] for path in spec["secondary"]],
    )
    article.tags.add(*spec["tags"])
    section = SectionPage.objects.get(pk=section.pk)  # fresh tree counters
    section.add_child(instance=article)
    article.save_revision().publish()
    report.created_articles += 1


@transaction.atomic
def load_demo_content(*, stdout=None, allow_debug_off=False) -> DemoReport:
    """Fill a development site with the demo newsroom; safe to run again. `stdout`, if
    given, hears of each article created; `allow_debug_off` is for the production stack on
    a developer's machine (`make serve DEMO=1`)."""
    if not settings.DEBUG and not allow_debug_off:
        raise DemoContentError(
            "load_demo_content fills the site with made-up stories, so it runs only with "
            "development settings (DEBUG on); this site runs with DEBUG off. (For the "
            "production stack on your own machine, `make serve DEMO=1` loads it.)"
        )
    home = HomePage.objects.first()
    if home is None:
        raise DemoContentError("There is no newsroom yet: run `manage.py setup_newsroom` first.")
    report = DemoReport()
    sections = _sections(report, home)
    authors = _authors(report)
    now = timezone.now()
    for seed, spec in enumerate(ARTICLES, start=1):
        before = report.created_articles
        _article(report, spec, seed=seed, now=now, sections=sections, authors=authors)
        if stdout is not None and report.created_articles > before:
            stdout.write(f"Created “{spec['title']}”.\n")
    if _live_coverage(report, now=now, sections=sections, authors=authors) and stdout:
        stdout.write(f"Created “{LIVE_COVERAGE['title']}”.\n")
    _alert(report, now=now)
    return report


ALERT = {
    "text": "Storm Elena makes landfall: ferries suspended, coastal rail line closed",
    "hours": 24,
}


def _alert(report: DemoReport, *, now) -> None:
    """An active breaking-news alert on the live coverage: a new one once the last expired,
    so the demo always shows the banner."""
    page = LiveCoveragePage.objects.live().filter(slug=LIVE_COVERAGE["slug"]).first()
    if page is None:
        return
    if BreakingNewsAlert.objects.filter(page=page, expires_at__gt=now).exists():
        report.unchanged += 1
        return
    BreakingNewsAlert.objects.create(
        page=page,
        text=ALERT["text"],
        urgency=AlertUrgency.BREAKING,
        starts_at=now,
        expires_at=now + timedelta(hours=ALERT["hours"]),
    )
    report.created_alerts += 1


def _live_coverage(report: DemoReport, *, now, sections, authors) -> bool:
    """The demo's live coverage page with its updates; False if it exists already."""
    spec = LIVE_COVERAGE
    section = SectionPage.objects.get(pk=sections[spec["section"]].pk)
    if ArticlePage.objects.child_of(section).filter(slug=spec["slug"]).exists():
        report.unchanged += 1
        return False
    label, top, bottom = spec["image"]
    started = now - timedelta(minutes=spec["started_minutes_ago"])
    page = LiveCoveragePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        publication_date=started,
        coverage_start=started,
        live=False,
        lead_image=_demo_image(report, label, lambda: lead_picture(label, top, bottom, seed=99)),
        lead_image_alt=spec["alt"],
        lead_image_caption=spec["caption"],
        lead_image_credit=IMAGE_CREDIT,
        byline=[
            ArticleAuthor(author=authors[slug], contribution=role or default_byline_role())
            for slug, _, role in (entry.partition(":") for entry in spec["authors"])
        ],
    )
    page.tags.add("Storm Elena", "Weather")
    section.add_child(instance=page)
    page.save_revision().publish()
    reporter = authors[spec["authors"][0]]
    for minutes_ago, headline, text, flag in spec["entries"]:
        live_entries.post(
            page,
            None,
            LiveEntry(
                posted_at=now - timedelta(minutes=minutes_ago),
                headline=headline,
                body=[("paragraph", PlainTextParagraph(text))],
                is_key_event=flag == "key",
                is_pinned=flag == "pinned",
            ),
            authors=[reporter],
            by_operator=True,
        )
    report.created_articles += 1
    return True
