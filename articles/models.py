"""Newsroom content model: the front page, nestable sections, articles and their bylines."""

import hashlib

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import URLValidator
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.admin.widgets import AdminAutoHeightTextInput
from wagtail.fields import StreamField
from wagtail.forms import TaskStateCommentForm
from wagtail.images import get_image_model_string
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, PageViewRestriction, Task
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from . import bylines, reader_cache, signals
from .api_fields import (
    ARTICLE_API_FIELDS,
    BYLINE_API_FIELDS,
    CORRECTION_API_FIELDS,
    LIVE_COVERAGE_API_FIELDS,
    SECTION_API_FIELDS,
)
from .blocks import (
    ALT_TEXT_HELP,
    CAPTION_HELP,
    CREDIT_HELP,
    ArticleBodyBlock,
    LiveEntryBodyBlock,
)
from .bylines import Credit
from .conf import (
    RESERVED_ARTICLE_SLUGS,
    article_type_choices,
    byline_role_choices,
    default_article_type,
    default_byline_role,
    newsroom_setting,
    reserved_section_slugs,
)
from .editorial_checks import is_embargoed, publishing_problems
from .forms import ArticlePageForm
from .image_rights import read_embedded_rights
from .panels import EditorialChecksPanel, ReviewPanel
from .querysets import ArticlePageManager, restricted_paths
from .reader.rendered import RenderedOnceMixin
from .search_fields import ExtractedOnceSearchField


@register_snippet
class Author(index.Indexed, models.Model):
    """A person (or desk) in bylines, with a page of their own at /authors/<slug>/."""

    name = models.CharField(max_length=200)
    role = models.CharField(
        max_length=200, blank=True, help_text="For example “Moscow correspondent”."
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The author page's address, /authors/<slug>/. Left empty, made from the name.",
    )
    photo = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A portrait, shown on the author page.",
    )
    bio = models.TextField(
        blank=True, max_length=2000, help_text="A few sentences about the author, for readers."
    )
    links = models.TextField(
        blank=True,
        help_text="Their profiles elsewhere (a website, a social network), one address a line.",
    )
    # The newsroom account of a staff journalist; none for a guest contributor.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name="newsroom account",
        help_text="The account of the journalist this is; their new stories start with this "
        "byline. Left empty for a guest contributor.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("slug"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("links"),
        # Who is who in the newsroom is the editors' call (reporters add guests only).
        FieldPanel("user", permission="articles.change_author"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name

    def clean(self):
        super().clean()
        for line in self.link_list():
            try:
                URLValidator(schemes=["http", "https"])(line)
            except ValidationError:
                raise ValidationError(
                    {"links": f"“{line}” is not a web address: write one http(s) address a line."}
                ) from None

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    """A slug made from `text` that no other row of `model` has (“anna-petrova-2”)."""
    base = slugify(text, allow_unicode=True)[:190] or "author"
    taken = set(
        model.objects.exclude(pk=exclude_pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def parent_link(parent_model, *, related_name: str) -> models.OneToOneField:
    """The link from a page (or task) type to Wagtail's base row, with a reverse name of the
    app's own: Django's default (`Page.homepage`) clashes with a host's model of the same
    class name, such as the `home.HomePage` that `wagtail start` makes."""
    return models.OneToOneField(
        parent_model,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        serialize=False,
        related_name=related_name,
    )


class DirectRouteMixin:
    """Finds a section or article below this page without walking the tree a level (two
    queries) at a time, as Wagtail does: live, public sections come from the reader cache by
    URL path, live articles from the shared cache (or one query by slug, an indexed column,
    and URL path). Anything else, a private section among them, goes Wagtail's way."""

    def route(self, request, path_components):
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            section = live_sections_by_url_path().get(url_path)
            if section is not None:
                return RouteResult(section)
            # The query and building the page object are more than half of an article request.
            article = reader_cache.cached(
                f"live-article:{hashlib.sha256(url_path.encode()).hexdigest()}",
                lambda: live_article_at(url_path, depth=self.depth + len(path_components)),
                in_process=False,
            )
            if article is not None:
                return RouteResult(article)
        return super().route(request, path_components)


class PublicPageCheckMixin:
    def has_view_restrictions(self) -> bool:
        """Whether this page or one above it is private, from the cached list (no query). An
        alias counts as private: Wagtail checks its original's restrictions."""
        return self.alias_of_id is not None or any(
            self.path.startswith(path) for path in restricted_paths()
        )

    def get_view_restrictions(self):
        """Wagtail asks the database on every request; most pages have no restriction on
        them or their ancestors, which the cached list of all restrictions shows at once."""
        if not self.has_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def live_article_at(url_path: str, *, depth: int):
    """The live article at `url_path`, with its lead image, as its own page type (live
    coverage is an article too); None if there is none."""
    article = (
        ArticlePage.objects.live()
        .filter(slug=url_path.rstrip("/").rsplit("/", 1)[-1], depth=depth, url_path=url_path)
        .select_related("lead_image")
        .first()
    )
    if article is not None and article.specific_class is not ArticlePage:
        return article.specific
    return article


def live_sections_by_url_path() -> dict:
    """Every live, public section by URL path (cached until content changes)."""
    return reader_cache.cached(
        "live-sections-by-url-path",
        lambda: {section.url_path: section for section in SectionPage.objects.live().public()},
    )


class SectionPaginator(Paginator):
    """A section's articles, a page at a time. Its count and which articles each page holds
    are kept until content changes: counting, or finding page 50, reads every filing before
    it; the articles themselves are read fresh, by id."""

    def __init__(self, section, per_page: int):
        super().__init__(section.articles(), per_page)
        self.section = section

    @cached_property
    def count(self) -> int:
        return reader_cache.cached(f"section-count:{self.section.pk}", self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = reader_cache.cached(
            f"section-page:{self.section.pk}:{self.per_page}:{number}",
            lambda: list(
                self.object_list.values_list("pk", flat=True)[start : start + self.per_page]
            ),
        )
        found = {
            article.pk: article for article in ArticlePage.objects.for_readers().filter(pk__in=ids)
        }
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


# What a section (or the front page) is cached at, below its own address: the page and its
# feeds (`get_cached_paths`, as Wagtail's frontend cache asks; articles/frontend_cache.py).
LISTING_CACHED_PATHS = ["/", "feed/", "feed/atom/"]


class SectionListMixin:
    def get_cached_paths(self) -> list[str]:
        """The page and its feeds, which the frontend cache keeps and a change purges."""
        return LISTING_CACHED_PATHS

    def child_sections(self) -> list:
        """Live, public sections directly below this page (cached until content changes)."""
        return reader_cache.cached(
            f"child-sections:{self.pk}",
            lambda: list(SectionPage.objects.child_of(self).live().public().order_by("path")),
        )


# The front page's Latest rail shows pictures for its first stories only; the rest are
# headlines with their standfirst, so the rail doesn't run far past the column beside it.
FRONT_LATEST_PICTURES = 3


class HomePage(RenderedOnceMixin, DirectRouteMixin, PublicPageCheckMixin, SectionListMixin, Page):
    """The front page: lead story, latest stories and a rail per section."""

    page_ptr = parent_link(Page, related_name="newsroom_home_page")

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        readable = ArticlePage.objects.for_readers()
        latest = list(readable.descendant_of(self)[:11])
        sections = self.child_sections()
        # Rails show headlines only: no image renditions to load.
        rails = readable.prefetch_related(None).latest_per_section(sections, per_section=4)
        context.update(
            lead_article=latest[0] if latest else None,
            latest_articles=latest[1:],
            front_latest_pictures=FRONT_LATEST_PICTURES,
            section_rails=[(section, rails[section.pk]) for section in sections],
        )
        return context


class SectionPage(
    RenderedOnceMixin, DirectRouteMixin, PublicPageCheckMixin, SectionListMixin, Page
):
    """A section such as “World”; sections nest (“World” > “Europe”)."""

    page_ptr = parent_link(Page, related_name="newsroom_section_page")

    introduction = models.TextField(blank=True, max_length=500)

    parent_page_types = list(newsroom_setting("SECTION_PARENT_PAGE_TYPES"))
    subpage_types = [
        "articles.SectionPage",
        "articles.ArticlePage",
        "articles.LiveCoveragePage",
    ]

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = SECTION_API_FIELDS

    def clean(self):
        super().clean()
        if self.slug in reserved_section_slugs():
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is taken by the site itself (/{self.slug}/ answers "
                    f"before any page): choose another slug, such as “{self.slug}-news”."
                }
            )

    def permissions_for_user(self, user):
        from .permissions import SectionPermissionTester

        return SectionPermissionTester(user, self)

    def articles(self):
        """Live, public articles filed here, as primary or secondary section, newest first."""
        return ArticlePage.objects.for_readers().filed_in(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = SectionPaginator(self, newsroom_setting("SECTION_PAGE_SIZE"))
        try:
            articles_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            articles_page = paginator.page(1)
        except EmptyPage:
            articles_page = paginator.page(paginator.num_pages)
        context.update(
            articles_page=articles_page,
            subsections=self.child_sections(),
        )
        return context


class ImageRights(models.Model):
    """The credit, copyright and caption of a photo, kept beside Wagtail's image (whatever
    image model the site uses) and shown in its form. Filled on upload from what the file
    carries (articles/image_rights.py); a slot that gets the photo starts from these and may
    say otherwise for its story."""

    image = models.OneToOneField(
        get_image_model_string(),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="newsroom_rights",
    )
    creator = models.CharField(
        "Photographer", max_length=255, blank=True, help_text="Who took the photo."
    )
    credit = models.CharField(
        "Credit",
        max_length=255,
        blank=True,
        help_text="How the photo is credited under it: “Jane Doe / Reuters”. A slot that gets "
        "this photo starts with this credit.",
    )
    copyright_notice = models.CharField(
        "Copyright notice", max_length=255, blank=True, help_text="“© 2026 Reuters”."
    )
    caption = models.CharField(
        "Caption",
        max_length=500,
        blank=True,
        help_text="What the photo shows. A slot that gets this photo starts with this caption.",
    )
    usage_terms = models.TextField(
        "Usage terms",
        blank=True,
        help_text="What the licence allows: “Editorial use only”, “No archiving”.",
    )

    class Meta:
        verbose_name = "image rights"
        verbose_name_plural = "image rights"

    def __str__(self):
        return self.credit or self.creator or f"Rights of image {self.image_id}"

    # The fields an image's form shows, in this order.
    FORM_FIELDS = ("creator", "credit", "copyright_notice", "caption", "usage_terms")

    @classmethod
    def fill_from_file(cls, image) -> "ImageRights":
        """Fill what is still empty in `image`'s rights from what its file carries, and its
        description (Wagtail's default alt text) from the file's accessibility text."""
        with image.open_file() as file:
            embedded = read_embedded_rights(file)
        rights, _created = cls.objects.get_or_create(image=image)
        found = {
            "creator": embedded.creator,
            "credit": embedded.credit,
            "copyright_notice": embedded.copyright_notice,
            "caption": embedded.caption,
            "usage_terms": embedded.usage_terms,
        }
        changed = [name for name, text in found.items() if text and not getattr(rights, name)]
        for name in changed:
            setattr(rights, name, found[name])
        if changed:
            rights.save(update_fields=changed)
        if embedded.alt_text and hasattr(image, "description") and not image.description:
            image.description = embedded.alt_text
            type(image).objects.filter(pk=image.pk, description="").update(
                description=embedded.alt_text
            )
        return rights

    @classmethod
    def of(cls, image) -> "ImageRights":
        """`image`'s rights; empty ones (not saved) if it has none yet."""
        try:
            return image.newsroom_rights
        except cls.DoesNotExist:
            return cls(image=image)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(RenderedOnceMixin, PublicPageCheckMixin, Page):
    """A story. Its parent is its primary section; secondary sections list it too."""

    page_ptr = parent_link(Page, related_name="newsroom_article_page")

    standfirst = models.TextField(
        blank=True, max_length=600, help_text="One or two sentences under the headline."
    )
    article_type = models.CharField(
        "Article type",
        max_length=30,
        choices=article_type_choices,
        default=default_article_type,
        help_text="Shown to readers as a label (Analysis, Opinion...) and to search engines.",
    )
    publication_date = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown to readers. Left empty, it is set when the article is first published.",
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Nobody can publish the article before this time; approval schedules it for then. "
            "Until then readers can't see it anywhere."
        ),
    )
    lead_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField("Alt text", max_length=255, blank=True)
    lead_image_caption = models.CharField("Caption", max_length=500, blank=True)
    lead_image_credit = models.CharField("Credit", max_length=255, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    secondary_sections = ParentalManyToManyField(
        "articles.SectionPage",
        blank=True,
        related_name="secondary_articles",
        help_text="Other sections that list this article.",
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    # Ties a page to the story file it was imported from (file name), so re-imports update it.
    source_key = models.CharField(
        max_length=255, unique=True, null=True, blank=True, editable=False
    )
    # Set on save from the page's relations; see compute_reader_extras().
    reader_extras = models.JSONField(default=dict, blank=True, editable=False)
    # What the last import wrote: the story's fingerprint and the revision it made. A later
    # revision means an editor has worked on the page, which a re-import must not overwrite.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    import_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticlePageManager()

    parent_page_types = ["articles.SectionPage"]
    subpage_types: list[str] = []
    # A copy is a new story: it must not claim the original's source file.
    exclude_fields_in_copy = ["source_key", "import_fingerprint", "import_revision"]

    base_form_class = ArticlePageForm

    # The newsroom's form: everything a story needs on Content, in the order a reporter
    # fills it in; Promote keeps only what search engines and sharing use.
    content_panels = [
        ReviewPanel(heading="Review"),
        EditorialChecksPanel(heading="Editorial checks"),
        TitleFieldPanel(
            "title",
            heading="Headline",
            placeholder="Headline*",
            # Grows with the headline, so a long one is seen whole (newlines are dropped).
            widget=AdminAutoHeightTextInput(),
            help_text="What readers see above the story, in lists and when it is shared.",
        ),
        FieldPanel(
            "standfirst",
            heading="Standfirst",
            help_text="One or two sentences under the headline that say what happened.",
        ),
        InlinePanel("byline", label="Byline", heading="Byline"),
        MultiFieldPanel(
            [
                FieldPanel("article_type"),
                FieldPanel("secondary_sections", widget=forms.CheckboxSelectMultiple),
                FieldPanel(
                    "tags",
                    heading="Topics",
                    help_text="Each topic gets a page listing its stories.",
                ),
                FieldPanel("publication_date", heading="Display date"),
            ],
            heading="Type, sections, topics and date",
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt", help_text=ALT_TEXT_HELP),
                FieldPanel("lead_image_caption", help_text=CAPTION_HELP),
                FieldPanel("lead_image_credit", help_text=CREDIT_HELP),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        InlinePanel("corrections", label="Correction or update", heading="Corrections and updates"),
    ]
    # Only editors set or clear an embargo: ArticlePageForm leaves the field out for others.
    settings_panels = [FieldPanel("embargo_until"), *Page.settings_panels]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "slug",
                    heading="Address",
                    help_text=(
                        "The last part of the story's address: the site, its section, then "
                        "this (/world/europe/this-part/). Lowercase letters, numbers and "
                        "hyphens; made from the headline until the story is published."
                    ),
                ),
                FieldPanel(
                    "seo_title",
                    help_text="A headline for search results and shares, if the headline "
                    "itself is too long or too clever for them.",
                ),
                FieldPanel(
                    "search_description",
                    help_text="The summary search engines and shares show; left empty, the "
                    "standfirst is used.",
                ),
            ],
            heading="For search engines and sharing",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        ExtractedOnceSearchField("body"),
        index.FilterField("publication_date"),
        index.FilterField("embargo_until"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = ARTICLE_API_FIELDS

    class Meta:
        indexes = [
            models.Index(fields=["-publication_date", "-page_ptr"], name="article_newest_first")
        ]
        permissions = [("set_embargo", "Can set or clear an article's embargo")]

    def clean(self):
        super().clean()
        if self.slug in RESERVED_ARTICLE_SLUGS:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is the section's own feed address: choose another "
                    "slug for the article."
                }
            )
        # An embargo holds back publication by any route (admin, workflow approval, API):
        # whatever publishes this revision schedules it for the embargo time instead.
        if is_embargoed(self) and (self.go_live_at is None or self.go_live_at < self.embargo_until):
            self.go_live_at = self.embargo_until

    def serve(self, request, *args, **kwargs):
        if is_embargoed(self) and not getattr(request, "is_preview", False):
            raise Http404("This article is under embargo.")
        return super().serve(request, *args, **kwargs)

    def save(self, *args, **kwargs):
        # Readers always see a date: a live article without one takes its first publication time.
        if self.live and self.publication_date is None:
            self.publication_date = self.first_published_at or timezone.now()
        self.reader_extras = self.compute_reader_extras()
        super().save(*args, **kwargs)
        # A whole save (creation, publishing, a revision made live) can change the sections
        # and the date; saving a draft revision writes a few page columns only.
        if kwargs.get("update_fields") is None:
            signals.article_saved.send(sender=type(self), instance=self)

    def compute_reader_extras(self) -> dict:
        """What the article page shows from related rows (byline, corrections, tags, secondary
        sections), stored on save, so that publishing does the work instead of each request.
        Reads the page's in-memory relations: right for a revision being published."""
        return {
            "byline": [
                {
                    "name": entry.author.name,
                    "role": entry.author.role,
                    "slug": entry.author.slug,
                    "contribution": entry.contribution,
                }
                for entry in self.byline.all()
            ],
            "corrections": [
                {"kind": c.kind, "text": c.text, "noted_at": c.noted_at.isoformat()}
                for c in self.corrections.all()
            ],
            "tags": [{"name": tag.name, "slug": tag.slug} for tag in self.tags.all()],
            "secondary_section_ids": [section.pk for section in self.secondary_sections.all()],
        }

    def credits(self) -> list[Credit]:
        """The byline as its last publication stored it (no query), each name with its
        role on the story; computed from the relations for pages published before that."""
        extras = self.reader_extras or self.compute_reader_extras()
        return [Credit.from_stored(entry) for entry in extras["byline"]]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Ancestors below Wagtail's root: the home page, then the section path.
        breadcrumb = reader_cache.cached(
            f"ancestors:{self.path[: -self.steplen]}",
            lambda: list(self.get_ancestors().filter(depth__gt=1)),
        )
        primary_section = breadcrumb[-1]
        # Published pages read what their last publication stored; previews (and pages
        # published before the snapshot existed) compute it from their relations.
        extras = self.reader_extras
        if not extras or getattr(request, "is_preview", False):
            extras = self.compute_reader_extras()
        live_sections = {section.pk: section for section in live_sections_by_url_path().values()}
        secondary = [
            live_sections[pk]
            for pk in extras["secondary_section_ids"]
            if pk in live_sections and pk != primary_section.pk
        ]
        byline = [Credit.from_stored(entry) for entry in extras["byline"]]
        context.update(
            breadcrumb=breadcrumb,
            sections=[primary_section, *secondary],
            byline=byline,
            byline_groups=bylines.grouped(byline),
            corrections=sorted(
                (
                    ArticleCorrection(
                        kind=c["kind"], text=c["text"], noted_at=parse_datetime(c["noted_at"])
                    )
                    for c in extras["corrections"]
                ),
                key=lambda c: c.noted_at,
                reverse=True,
            ),
            tags=topics(extras["tags"]),
            related_articles=self.related_articles(),
        )
        return context

    @property
    def article_type_label(self) -> str:
        """The label readers see ("Opinion"); none for the default kind (news)."""
        if self.article_type == default_article_type():
            return ""
        return dict(article_type_choices()).get(self.article_type, "")

    @property
    def schema_type(self) -> str:
        """The schema.org type of this kind of article (NewsArticle unless configured)."""
        types = newsroom_setting("ARTICLE_TYPES")
        return types.get(self.article_type, (None, "NewsArticle"))[1]

    def related_articles(self) -> list:
        """Other articles a reader of this one may want: those sharing its topics, then its
        sections, newest first; only what readers may see (cached until content changes)."""
        if self.pk is None:
            return []  # the preview of an article not yet saved
        return reader_cache.cached(
            f"related:{self.pk}", lambda: find_related_articles(self), in_process=False
        )


def topics(stored_tags) -> list[dict]:
    """Tags as stored on an article ({"name", "slug"}; plain names before slugs were kept)."""
    return [
        tag if isinstance(tag, dict) else {"name": tag, "slug": slugify(tag, allow_unicode=True)}
        for tag in stored_tags
    ]


def find_related_articles(article) -> list:
    """Up to NEWSROOM_RELATED_ARTICLES readable articles sharing a topic with `article`,
    newest first, then (to fill the rest) articles filed in its sections."""
    limit = newsroom_setting("RELATED_ARTICLES")
    readable = ArticlePage.objects.for_readers().exclude(pk=article.pk)
    tag_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    found = []
    if tag_ids:
        found = list(
            readable.filter(
                pk__in=ArticleTag.objects.filter(tag_id__in=tag_ids).values("content_object_id")
            )[:limit]
        )
    if len(found) < limit:
        section_ids = SectionFiling.objects.filter(article=article).values("section_id")
        found += list(
            readable.exclude(pk__in=[a.pk for a in found]).filter(
                pk__in=SectionFiling.objects.filter(section_id__in=section_ids).values("article_id")
            )[: limit - len(found)]
        )
    return found


class LiveCoveragePage(ArticlePage):
    """Live coverage of a developing story (an election night, a storm): an article, filed
    and reviewed like any other, with a stream of entries below its lead that the people an
    editor assigns post while it is live, without a review round each (articles/live/)."""

    article_page_ptr = parent_link(ArticlePage, related_name="newsroom_live_coverage_page")
    # Its status (live, ended) follows the clock; its stream is cached on its own.
    rendered_once = False

    coverage_start = models.DateTimeField(
        "Coverage starts",
        null=True,
        blank=True,
        help_text="Shown to readers and search engines. Left empty, the first publication time.",
    )
    coverage_end = models.DateTimeField(
        "Coverage ends",
        null=True,
        blank=True,
        help_text="After this, readers' pages stop checking for updates and only editors can "
        "add or change entries. Leave empty while the story is still developing.",
    )

    parent_page_types = ["articles.SectionPage"]
    subpage_types: list[str] = []
    template = "articles/live_coverage_page.html"

    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("coverage_start"), FieldPanel("coverage_end")],
            heading="Coverage times",
        ),
    ]
    api_fields = LIVE_COVERAGE_API_FIELDS

    class Meta:
        verbose_name = "live coverage page"

    def save(self, *args, **kwargs):
        if self.live and self.coverage_start is None:
            self.coverage_start = self.first_published_at or timezone.now()
        super().save(*args, **kwargs)

    @property
    def schema_type(self) -> str:
        return "LiveBlogPosting"

    def get_cached_paths(self) -> list[str]:
        """The page and its feeds of updates (articles/live/feeds.py)."""
        return LISTING_CACHED_PATHS

    def coverage_status(self, now=None) -> str:
        """ "upcoming", "live" or "ended"."""
        now = now or timezone.now()
        if self.coverage_end is not None and self.coverage_end <= now:
            return "ended"
        if self.coverage_start is not None and self.coverage_start > now:
            return "upcoming"
        return "live"

    def has_ended(self, now=None) -> bool:
        return self.coverage_status(now) == "ended"


class LiveEntry(models.Model):
    """One update in a live coverage page. Live the moment it is saved (while its page is
    readable): posted, corrected, hidden and deleted only by articles.live.entries, which
    checks who may and records each change in the page's history."""

    page = models.ForeignKey(LiveCoveragePage, on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(
        "Time",
        default=timezone.now,
        help_text="Shown beside the update; readers see updates newest first.",
    )
    headline = models.CharField(
        max_length=200, blank=True, help_text="Optional: a few words for a key moment."
    )
    body = StreamField(LiveEntryBodyBlock(), help_text="What happened, as it happened.")
    authors = models.ManyToManyField(
        Author,
        blank=True,
        related_name="+",
        help_text="Who reported this update; left empty, whoever posts it.",
    )
    is_key_event = models.BooleanField(
        "Key event",
        default=False,
        help_text="Listed in the summary of key events at the top of the page.",
    )
    is_pinned = models.BooleanField(
        "Pinned", default=False, help_text="Shown first, above the newest updates."
    )
    is_hidden = models.BooleanField(
        "Hidden",
        default=False,
        help_text="Readers no longer see it anywhere; it stays in the page's history.",
    )
    correction_note = models.TextField(
        blank=True, help_text="Shown to readers under the update: what was corrected and why."
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "live update"
        verbose_name_plural = "live updates"
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["page", "-posted_at", "-id"], name="live_entry_newest")]

    def __str__(self) -> str:
        when = timezone.localtime(self.posted_at).strftime("%H:%M")
        return f"{when} {self.headline}".strip() if self.headline else f"Update at {when}"

    def anchor(self) -> str:
        return f"update-{self.pk}"


class LiveAssignment(models.Model):
    """Someone an editor assigned to post updates to one live coverage page."""

    page = models.ForeignKey(
        LiveCoveragePage,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="live coverage page",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_assignments",
        verbose_name="journalist",
    )
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "live coverage assignment"
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="one_assignment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.page}"


class ArticleAuthor(Orderable):
    """One name in an article's byline, with what they did for the story, in the order
    editors set."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="byline")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    contribution = models.CharField(
        "role on this story",
        max_length=50,
        choices=byline_role_choices,
        default=default_byline_role,
        help_text="Readers see “By …” for reporting, “Photos by …” for photos, and so on.",
    )

    panels = [FieldPanel("author"), FieldPanel("contribution")]

    def __str__(self) -> str:
        return f"{self.author.name} ({self.get_contribution_display()})"

    api_fields = BYLINE_API_FIELDS


class SectionFiling(models.Model):
    """An article listed in a section, as its primary section (its parent) or a secondary one,
    with the article's publication date copied here, so that a section's listing, its count
    and the front page's rails read one index in order instead of scanning every article.
    Written only by articles.filings."""

    section = models.ForeignKey(SectionPage, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="filings")
    publication_date = models.DateTimeField(null=True)
    is_primary = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "article"], name="one_filing_per_section")
        ]
        indexes = [
            models.Index(
                fields=["section", "-publication_date", "-article"], name="filing_newest_first"
            ),
            models.Index(fields=["-publication_date", "-article"], name="filing_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.section_id}"


class ImportedStory(models.Model):
    """Every story the importer created, by its source key (its file name), and what became
    of it: `page` is empty once an editor deleted the page. A re-import leaves a story alone
    that an editor took down (deleted, unpublished, made private) unless told `--force`.
    Written only by articles.stories.importer."""

    source_key = models.CharField(max_length=255, unique=True)
    page = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_imported_at = models.DateTimeField(default=timezone.now)
    # The bytes last imported for it: a re-import skips a file whose bytes are the same
    # without parsing it (empty for stories imported before this was kept).
    file_sha256 = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return self.source_key


class ArticleCorrection(Orderable):
    """A dated correction or update note shown to readers on the article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    noted_at = models.DateTimeField(default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("noted_at")]
    api_fields = CORRECTION_API_FIELDS


class RequiredCommentForm(TaskStateCommentForm):
    """Sending an article back must say why: the reporter sees this comment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = "Tell the reporter what to change."


class ReviewTask(AbstractGroupApprovalTask):
    """A newsroom review step: approve, or send back with a required comment.

    When the approval would publish (the workflow's last step) and the article isn't ready
    (an image without alt text or credit), it is sent back with the reasons instead.
    """

    task_ptr = parent_link(Task, related_name="newsroom_review_task")

    def get_form_for_action(self, action):
        if action == "reject":
            return RequiredCommentForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        # Two reviewers acting at once (admin or API): the second waits for the first, then
        # finds the step taken, instead of approving it again and skipping the next step.
        with transaction.atomic():
            task_state = type(task_state).objects.select_for_update().get(pk=task_state.pk)
            if task_state.status != task_state.STATUS_IN_PROGRESS:
                raise PermissionDenied(
                    f"Someone else has already acted on {self.name} for this story; "
                    "reload it to see where it is now."
                )
            return self._take_action(task_state, user, action_name, **kwargs)

    def _take_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and self._is_last_step(task_state):
            page = task_state.revision.as_object()
            problems = publishing_problems(page) if isinstance(page, ArticlePage) else []
            if problems:
                comment = "Sent back automatically: it can't be published yet. " + " ".join(
                    problems
                )
                return task_state.reject(user=user, comment=comment)
        return super().on_action(task_state, user, action_name, **kwargs)

    def _is_last_step(self, task_state) -> bool:
        workflow = task_state.workflow_state.workflow
        last = workflow.workflow_tasks.order_by("-sort_order").first()
        return last is not None and last.task_id == self.pk

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve, or send back with a comment."

    class Meta:
        verbose_name = "Newsroom review task"
        verbose_name_plural = "Newsroom review tasks"


class AlertUrgency(models.IntegerChoices):
    """IPTC urgency (1 most urgent, 9 least), which ninjs carries as `urgency`."""

    BREAKING = 1, "Breaking"
    URGENT = 3, "Urgent"
    DEVELOPING = 5, "Developing"


class BreakingNewsAlert(models.Model):
    """A banner on every reader page, from `starts_at` until `expires_at`, pointing at one
    article or live coverage page. Shown only while that page is live and public
    (articles/alerts/current.py); only editors write alerts (articles/roles.py)."""

    TEXT_MAX = 140

    text = models.CharField(
        "alert text",
        max_length=TEXT_MAX,
        help_text="What readers see in the banner: one sentence, 140 characters at most.",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="breaking_news_alerts",
        verbose_name="story",
        help_text="The article or live coverage page the banner links to.",
    )
    urgency = models.PositiveSmallIntegerField(
        choices=AlertUrgency.choices, default=AlertUrgency.BREAKING
    )
    starts_at = models.DateTimeField("show from", default=timezone.now)
    expires_at = models.DateTimeField(
        "show until", help_text="The banner disappears from every page at this time."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "breaking news alert"
        ordering = ["urgency", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["expires_at"], name="alert_expires_at")]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError(
                {"expires_at": "The alert must end after it starts: pick a later “show until”."}
            )
