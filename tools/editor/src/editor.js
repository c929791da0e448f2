// The admin's story editor: ProseMirror with exactly the structure a news
// story has (paragraphs, 小标题, bold, 着重号, lists, quotes, links, photos
// with captions), reading and writing the content format's Markdown
// (docs/content-format.md) through prosemirror-markdown. It enhances a
// <textarea>: the textarea stays the form field and always holds the
// Markdown, so the form works the same with or without this script.
//
// Built into admin/static/editor/editor.js by tools/editor/build.sh.

import { Schema, Slice } from "prosemirror-model";
import { EditorState, Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { keymap } from "prosemirror-keymap";
import { history, undo, redo } from "prosemirror-history";
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift, chainCommands } from "prosemirror-commands";
import { wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { MarkdownParser, MarkdownSerializer, defaultMarkdownSerializer } from "prosemirror-markdown";
import MarkdownIt from "markdown-it";

// displayURL maps a photo's address to where the admin can show it
// before the story is published (see attach's mediaURL option).
let displayURL = (src) => src;

// schema: what a story may contain, nothing more.
export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: { group: "block", content: "inline*", parseDOM: [{ tag: "p" }], toDOM: () => ["p", 0] },
    heading: {
      group: "block", content: "inline*", defining: true,
      attrs: { level: { default: 2 } },
      parseDOM: [{ tag: "h2", attrs: { level: 2 } }, { tag: "h3", attrs: { level: 3 } }],
      toDOM: (n) => ["h" + n.attrs.level, 0],
    },
    blockquote: { group: "block", content: "block+", defining: true, parseDOM: [{ tag: "blockquote" }], toDOM: () => ["blockquote", 0] },
    bullet_list: {
      group: "block", content: "list_item+", attrs: { tight: { default: true }, bullet: { default: "-" } },
      parseDOM: [{ tag: "ul" }], toDOM: () => ["ul", 0],
    },
    ordered_list: {
      group: "block", content: "list_item+", attrs: { order: { default: 1 }, tight: { default: true } },
      parseDOM: [{ tag: "ol", getAttrs: (d) => ({ order: +(d.getAttribute("start") || 1) }) }],
      toDOM: (n) => (n.attrs.order == 1 ? ["ol", 0] : ["ol", { start: n.attrs.order }, 0]),
    },
    list_item: { content: "paragraph block*", defining: true, parseDOM: [{ tag: "li" }], toDOM: () => ["li", 0] },
    text: { group: "inline" },
    // A photo placed in the text; title is its caption.
    image: {
      inline: true, group: "inline", draggable: true,
      attrs: { src: {}, alt: { default: "" }, title: { default: "" } },
      parseDOM: [{
        tag: "img[src]",
        getAttrs: (d) => ({ src: d.getAttribute("data-src") || d.getAttribute("src"), alt: d.getAttribute("alt") || "", title: d.getAttribute("title") || "" }),
      }],
      toDOM: (n) => ["img", { src: displayURL(n.attrs.src), "data-src": n.attrs.src, alt: n.attrs.alt, title: n.attrs.title }],
    },
  },
  marks: {
    strong: { parseDOM: [{ tag: "strong" }, { tag: "b" }], toDOM: () => ["strong", 0] },
    // 着重号 (emphasis dots under the characters): Markdown *…*.
    em: { parseDOM: [{ tag: "em" }], toDOM: () => ["em", { class: "zhuozhong" }, 0] },
    link: {
      attrs: { href: {} }, inclusive: false,
      parseDOM: [{ tag: "a[href]", getAttrs: (d) => ({ href: d.getAttribute("href") }) }],
      toDOM: (m) => ["a", { href: m.attrs.href, rel: "noopener" }, 0],
    },
  },
});

// The Markdown the editor reads: CommonMark without what a story cannot
// hold (code, HTML, rules, tables), so such text stays text.
const md = MarkdownIt("commonmark", { html: false, linkify: false });
md.disable(["code", "fence", "hr", "html_block", "html_inline", "backticks", "lheading", "reference", "autolink"]);

function listIsTight(tokens, i) {
  while (++i < tokens.length) if (tokens[i].type != "list_item_open") return tokens[i].hidden;
  return false;
}

export const parser = new MarkdownParser(schema, md, {
  blockquote: { block: "blockquote" },
  paragraph: { block: "paragraph" },
  list_item: { block: "list_item" },
  bullet_list: { block: "bullet_list", getAttrs: (_, tokens, i) => ({ tight: listIsTight(tokens, i) }) },
  ordered_list: {
    block: "ordered_list",
    getAttrs: (tok, tokens, i) => ({ order: +tok.attrGet("start") || 1, tight: listIsTight(tokens, i) }),
  },
  heading: { block: "heading", getAttrs: (tok) => ({ level: Math.min(3, Math.max(2, +tok.tag.slice(1))) }) },
  image: {
    node: "image",
    getAttrs: (tok) => ({ src: tok.attrGet("src"), title: tok.attrGet("title") || "", alt: (tok.children[0] && tok.children[0].content) || "" }),
  },
  hardbreak: { ignore: true, noCloseToken: true },
  em: { mark: "em" },
  strong: { mark: "strong" },
  link: { mark: "link", getAttrs: (tok) => ({ href: tok.attrGet("href") }) },
});

const n = defaultMarkdownSerializer.nodes;
export const serializer = new MarkdownSerializer(
  {
    blockquote: n.blockquote, paragraph: n.paragraph, bullet_list: n.bullet_list, ordered_list: n.ordered_list,
    list_item: n.list_item, text: n.text, image: n.image,
    heading(state, node) {
      state.write(state.repeat("#", node.attrs.level) + " ");
      state.renderInline(node, false);
      state.closeBlock(node);
    },
  },
  {
    em: defaultMarkdownSerializer.marks.em,
    strong: defaultMarkdownSerializer.marks.strong,
    link: {
      open: "[",
      close: (state, mark) => "](" + mark.attrs.href.replace(/[\(\)"\s]/g, encodeURIComponent) + ")",
      mixable: true,
    },
  },
  // "<" and "&" would start HTML or an entity, "{{" a Hugo shortcode.
  { escapeExtraCharacters: /[<>&{|]/g, strict: false },
);

// isPunct: CommonMark's punctuation (ASCII and Unicode P and S classes).
const punct = /[\p{P}\p{S}]/u;

// flankingFix: CommonMark does not open ** before punctuation that follows
// a letter (他说**“好”**了 stays literal), so the marks at such edges are
// moved inside the punctuation; the picture is the same, the Markdown works.
const flankingFix = new Plugin({
  appendTransaction(trs, _old, state) {
    if (!trs.some((t) => t.docChanged)) return null;
    let tr = null;
    state.doc.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      const text = node.textBetween(0, node.content.size, "\0", "\0");
      for (const type of [schema.marks.strong, schema.marks.em]) {
        const has = (i) => i >= 0 && i < text.length && node.rangeHasMark(i, i + 1, type);
        for (let i = 0; i < text.length; i++) {
          if (!has(i) || !punct.test(text[i])) continue;
          const before = text[i - 1], after = text[i + 1];
          const starts = !has(i - 1) && i > 0 && before !== "\0" && !punct.test(before) && !/\s/.test(before);
          const ends = !has(i + 1) && i + 1 < text.length && after !== "\0" && !punct.test(after) && !/\s/.test(after);
          if (starts || ends) {
            tr = tr || state.tr;
            tr.removeMark(pos + 1 + i, pos + 2 + i, type);
          }
        }
      }
      return false;
    });
    return tr;
  },
});

export function parse(markdown) {
  return parser.parse(markdown || "");
}

export function serialize(doc) {
  const out = serializer.serialize(doc, { tightLists: true });
  return out ? out + "\n" : "";
}

// count is 字数 as Chinese word processors count it: each Chinese
// character, each run of Latin letters or digits (a word or number) counts
// one; punctuation is counted in the first figure only.
export function count(text) {
  let words = 0, marks = 0;
  const w = "(?:(?!\\p{Script=Han})[\\p{L}\\p{N}])+";
  const re = new RegExp("(\\p{Script=Han}|" + w + "(?:[.'’-]" + w + ")*)|([\\p{P}\\p{S}])", "gu");
  for (const m of text.matchAll(re)) {
    if (m[1]) words++;
    else marks++;
  }
  return { all: words + marks, noPunct: words };
}

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

const zh = {
  p: "正文", h2: "小标题", h3: "小标题（二级）", strong: "加粗", em: "着重号", ul: "项目列表", ol: "编号列表",
  quote: "引用", link: "链接", photo: "插入照片", undo: "撤销", redo: "重做", help: "快捷键",
};

const shortcutsHelp = [
  ["Ctrl+B", "加粗"], ["Ctrl+I", "着重号"], ["Ctrl+K", "链接"], ["Ctrl+Alt+2", "小标题"],
  ["Ctrl+Alt+3", "二级小标题"], ["Ctrl+Alt+0", "正文"], ["Ctrl+Shift+8", "项目列表"], ["Ctrl+Shift+7", "编号列表"],
  ["Ctrl+Shift+9", "引用"], ["Ctrl+Z", "撤销"], ["Ctrl+Y / Ctrl+Shift+Z", "重做"], ["Ctrl+S", "立即保存"],
];

function askLink(state, dispatch) {
  const type = schema.marks.link;
  if (markActive(state, type)) return toggleMark(type)(state, dispatch);
  if (state.selection.empty) return false;
  if (!dispatch) return true;
  const href = (window.prompt("链接地址（以 http:// 或 https:// 开头）：", "https://") || "").trim();
  if (!/^(https?:\/\/|mailto:)\S+$/.test(href)) return true;
  return toggleMark(type, { href })(state, dispatch);
}

// plainToMarkdown: pasted plain text, one paragraph per line and per
// full-width-space indent (the server's cleaner does the same for HTML).
function plainToMarkdown(text) {
  return text
    .replace(/\r/g, "")
    .split(/\n|(?<=[。！？!?…：:；;”’」』）)])[\u3000 ]*\u3000{2,}/)
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ""))
    .filter((l) => l)
    .map((l) => serialize(schema.node("doc", null, [schema.node("paragraph", null, [schema.text(l)])])).trim())
    .join("\n\n");
}

// Editor wraps one EditorView.
export class Editor {
  // opts: pasteURL (POST {html} → {markdown, local_images}), uploadPhoto
  // (async (File) → {url, caption, alt} or null), onChange(markdown),
  // onSave(), notify(message).
  constructor(place, markdown, opts = {}) {
    this.opts = opts;
    this.root = document.createElement("div");
    this.root.className = "rich-editor";
    place.appendChild(this.root);
    this.toolbar = document.createElement("div");
    this.toolbar.className = "rich-toolbar";
    this.toolbar.setAttribute("role", "toolbar");
    this.toolbar.setAttribute("aria-label", "排版工具");
    this.root.appendChild(this.toolbar);
    const mount = document.createElement("div");
    mount.className = "rich-body";
    this.root.appendChild(mount);
    this.status = document.createElement("div");
    this.status.className = "rich-status";
    this.status.setAttribute("aria-live", "polite");
    this.root.appendChild(this.status);
    this.message = document.createElement("div");
    this.message.className = "rich-message";
    this.message.setAttribute("role", "status");
    this.root.appendChild(this.message);

    const keys = {
      "Mod-z": undo, "Mod-y": redo, "Mod-Shift-z": redo,
      "Mod-b": toggleMark(schema.marks.strong), "Mod-i": toggleMark(schema.marks.em), "Mod-k": askLink,
      "Mod-Alt-2": setBlockType(schema.nodes.heading, { level: 2 }),
      "Mod-Alt-3": setBlockType(schema.nodes.heading, { level: 3 }),
      "Mod-Alt-0": setBlockType(schema.nodes.paragraph),
      "Mod-Shift-8": wrapInList(schema.nodes.bullet_list), "Mod-Shift-7": wrapInList(schema.nodes.ordered_list),
      "Mod-Shift-9": wrapIn(schema.nodes.blockquote),
      "Enter": splitListItem(schema.nodes.list_item),
      "Tab": sinkListItem(schema.nodes.list_item), "Shift-Tab": liftListItem(schema.nodes.list_item),
      "Mod-s": () => { if (this.opts.onSave) this.opts.onSave(); return true; },
      "Mod-[": lift,
    };
    const self = this;
    this.view = new EditorView(mount, {
      state: EditorState.create({ doc: parse(markdown), plugins: [history(), keymap(keys), keymap(baseKeymap), flankingFix] }),
      attributes: { class: "rich-text", role: "textbox", "aria-multiline": "true", "aria-label": "正文", spellcheck: "false" },
      dispatchTransaction(tr) {
        self.view.updateState(self.view.state.apply(tr));
        self.refresh();
        if (tr.docChanged && self.opts.onChange) self.opts.onChange(self.markdown());
      },
      handlePaste: (view, event) => this.paste(event),
      handleDoubleClickOn: (view, pos, node) => {
        if (node.type != schema.nodes.image) return false;
        this.editPhoto(pos, node);
        return true;
      },
    });
    this.buttons = [];
    const btn = (label, cmd, active, key) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.dataset.cmd = key;
      b.addEventListener("mousedown", (e) => e.preventDefault());
      b.addEventListener("click", () => { cmd(this.view.state, this.view.dispatch, this.view); this.view.focus(); });
      this.toolbar.appendChild(b);
      this.buttons.push({ b, cmd, active });
    };
    const isBlock = (type, attrs) => (s) => {
      const { $from } = s.selection;
      return $from.parent.type == type && (!attrs || $from.parent.attrs.level == attrs.level);
    };
    btn(zh.p, setBlockType(schema.nodes.paragraph), isBlock(schema.nodes.paragraph), "p");
    btn(zh.h2, setBlockType(schema.nodes.heading, { level: 2 }), isBlock(schema.nodes.heading, { level: 2 }), "h2");
    btn(zh.strong, toggleMark(schema.marks.strong), (s) => markActive(s, schema.marks.strong), "strong");
    btn(zh.em, toggleMark(schema.marks.em), (s) => markActive(s, schema.marks.em), "em");
    btn(zh.ul, wrapInList(schema.nodes.bullet_list), null, "ul");
    btn(zh.ol, wrapInList(schema.nodes.ordered_list), null, "ol");
    btn(zh.quote, chainCommands(wrapIn(schema.nodes.blockquote), lift), null, "quote");
    btn(zh.link, askLink, (s) => markActive(s, schema.marks.link), "link");
    if (opts.uploadPhoto) btn(zh.photo, (s, d) => { if (d) this.pickPhotos(); return true; }, null, "photo");
    btn(zh.undo, undo, null, "undo");
    btn(zh.redo, redo, null, "redo");
    const help = document.createElement("details");
    help.className = "rich-help";
    help.innerHTML = "<summary>" + zh.help + "</summary><dl>" +
      shortcutsHelp.map(([k, v]) => "<dt><kbd>" + k + "</kbd></dt><dd>" + v + "</dd>").join("") + "</dl>";
    this.toolbar.appendChild(help);
    this.refresh();
  }

  markdown() { return serialize(this.view.state.doc); }

  setMarkdown(markdown) {
    const s = this.view.state;
    this.view.dispatch(s.tr.replaceWith(0, s.doc.content.size, parse(markdown).content));
  }

  counts() { return count(this.view.state.doc.textBetween(0, this.view.state.doc.content.size, "\n", "")); }

  refresh() {
    const s = this.view.state;
    for (const { b, cmd, active } of this.buttons) {
      b.disabled = !cmd(s, undefined, this.view);
      if (active) b.setAttribute("aria-pressed", active(s) ? "true" : "false");
    }
    const c = this.counts();
    this.status.textContent = "字数 " + c.all + "（不含标点 " + c.noPunct + "）";
  }

  notify(msg) {
    this.message.textContent = msg;
    if (this.opts.notify) this.opts.notify(msg);
  }

  insertMarkdown(markdown) {
    const doc = parse(markdown);
    const { tr } = this.view.state;
    tr.replaceSelection(new Slice(doc.content, 0, 0)).scrollIntoView();
    this.view.dispatch(tr);
  }

  paste(event) {
    const data = event.clipboardData;
    if (!data) return false;
    const html = data.getData("text/html");
    const text = data.getData("text/plain");
    if (!html) {
      if (!text || !/\n|\u3000/.test(text)) return false; // one line: ProseMirror's own paste
      this.insertMarkdown(plainToMarkdown(text));
      return true;
    }
    if (!this.opts.pasteURL) return false;
    const pos = this.view.state.selection;
    fetch(this.opts.pasteURL, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ html }),
    })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((res) => {
        this.insertMarkdown(res.markdown || "");
        const n = (res.local_images || []).length + (res.remote_images || []).length;
        this.notify(n ? "粘贴的内容里有 " + n + " 张图片没有带过来（Word、WPS 的图片只在您的电脑上），请用“插入照片”上传。" : "");
      })
      .catch(() => {
        // Offline: the text at least, one paragraph per line.
        this.insertMarkdown(plainToMarkdown(text));
        this.notify("网络不通，已按纯文字粘贴，格式（加粗、小标题）请重新设置。");
      });
    return true;
  }

  pickPhotos() {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/webp,image/*";
    input.multiple = true;
    input.addEventListener("change", () => this.addPhotos(input.files));
    input.click();
  }

  // addPhotos uploads files and places each one in the text, in its own
  // paragraph, with its caption.
  async addPhotos(files) {
    for (const f of files) {
      this.notify("正在上传 " + f.name + " …");
      let m;
      try {
        m = await this.opts.uploadPhoto(f);
      } catch (e) {
        this.notify(String(e.message || e));
        continue;
      }
      if (!m) continue;
      const img = schema.nodes.image.create({ src: m.url, alt: m.alt || "", title: m.caption || "" });
      const { tr } = this.view.state;
      tr.replaceSelectionWith(schema.nodes.paragraph.create(null, img)).scrollIntoView();
      this.view.dispatch(tr);
      this.notify("");
    }
  }

  editPhoto(pos, node) {
    const caption = window.prompt("图片说明：", node.attrs.title);
    if (caption === null) return;
    const alt = window.prompt("替代文字（给看不到图片的读者）：", node.attrs.alt);
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, null, { ...node.attrs, title: caption.trim(), alt: (alt || "").trim() }));
  }
}

// attach replaces a <textarea> by the editor; the textarea stays in the
// form (hidden) and is kept up to date, so submitting the form sends the
// Markdown.
export function attach(textarea, opts = {}) {
  if (opts.mediaURL) displayURL = opts.mediaURL;
  const place = document.createElement("div");
  textarea.parentNode.insertBefore(place, textarea);
  textarea.hidden = true;
  const onChange = opts.onChange;
  const ed = new Editor(place, textarea.value, {
    ...opts,
    onChange(markdown) {
      textarea.value = markdown;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      if (onChange) onChange(markdown);
    },
  });
  const label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
  if (label) label.addEventListener("click", () => ed.view.focus());
  return ed;
}
