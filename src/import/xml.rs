//! A small element tree built from quick-xml's events, for the parts of a
//! .docx. quick-xml does the parsing (names, attributes, entities, encoding
//! errors); this only keeps what it reports as a tree, because the Word
//! reader needs to look ahead (a table's merged cells, a paragraph's style
//! before its runs) and a pull parser alone makes that awkward.

use quick_xml::events::Event;

/// An element with its local name (the prefix dropped: `w:p` is `p`).
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    /// Attributes by local name (`w:val` is `val`, `r:id` is `id`).
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Deeper than this is not a Word document but an attack on the stack.
const MAX_DEPTH: usize = 256;

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The value of `<name val="..."/>` among the children (`w:pStyle w:val`).
    pub fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|e| e.attr("val"))
    }

    /// Every descendant element called `name`, depth first, in document order.
    pub fn descendants<'a>(&'a self, name: &'a str) -> Vec<&'a Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = vec![self];
        while let Some(e) = stack.pop() {
            if e.name == name && !std::ptr::eq(e, self) {
                out.push(e);
            }
            let kids: Vec<&Element> = e.elements().collect();
            stack.extend(kids.into_iter().rev());
        }
        out
    }

    /// All the text inside, in order.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(n) = stack.pop() {
            match n {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) => stack.extend(e.children.iter().rev()),
            }
        }
        s
    }
}

/// A toggle such as `<w:b/>`, `<w:b w:val="true"/>` or `<w:b w:val="0"/>`.
pub fn on_off(e: &Element) -> bool {
    !matches!(e.attr("val"), Some("0" | "false" | "off" | "none"))
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn element(start: &quick_xml::events::BytesStart) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?.into_owned();
        attrs.push((local(a.key.as_ref()), value));
    }
    Ok(Element { name: local(start.name().as_ref()), attrs, children: Vec::new() })
}

/// Parses a whole XML part into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // The open elements; the bottom one collects the root.
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| format!("{e} (at byte {at})"))?;
        match event {
            Event::Start(s) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("elements nested more than {MAX_DEPTH} deep (at byte {at})"));
                }
                stack.push(element(&s)?);
            }
            Event::Empty(s) => {
                let e = element(&s)?;
                stack.last_mut().expect("stack").children.push(Node::Element(e));
            }
            Event::End(_) => {
                let e = stack.pop().expect("stack");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(e)),
                    None => return Err("unbalanced end tag".into()),
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content().into_owned();
                push_text(stack.last_mut().expect("stack"), &s);
            }
            Event::CData(t) => {
                let s = t.xml10_content().into_owned();
                push_text(stack.last_mut().expect("stack"), &s);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("unknown entity `&{name};` (at byte {at})"))?
                            .to_string()
                    }
                };
                push_text(stack.last_mut().expect("stack"), &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("the XML ends before all its elements are closed".into());
    }
    let mut top = stack.pop().expect("stack");
    top.children
        .drain(..)
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "no root element".into())
}

fn push_text(parent: &mut Element, s: &str) {
    if let Some(Node::Text(last)) = parent.children.last_mut() {
        last.push_str(s);
    } else {
        parent.children.push(Node::Text(s.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_local_names_and_entities() {
        let root = parse(r#"<?xml version="1.0"?><w:p xmlns:w="x"><w:r><w:t xml:space="preserve">A &amp; B &#8211; C</w:t></w:r><w:b w:val="0"/></w:p>"#)
            .unwrap();
        assert_eq!(root.name, "p");
        assert_eq!(root.text(), "A & B \u{2013} C");
        assert!(!on_off(root.child("b").unwrap()));
        assert_eq!(root.descendants("t").len(), 1);
    }

    #[test]
    fn refuses_broken_and_hostile_xml() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        let deep = "<a>".repeat(1000) + &"</a>".repeat(1000);
        assert!(parse(&deep).unwrap_err().contains("nested"));
    }
}
