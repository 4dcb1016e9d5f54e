// The endpoint's front page: YASGUI on this endpoint, with the named query library as examples.
// The configuration (endpoint, default query, examples) is JSON in the page, written by govgraph.front.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("govgraph-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;

  // Completion of classes and properties asks other sites (LOV); only variables are completed here.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    yasqe: { value: config.defaultQuery, autocompleters: ["variables"] },
  });
  window.govgraphYasgui = yasgui;

  // IRIs of this graph open their pages here (/id/..., /ontology#...), not at w3id.org
  var local = [
    ["https://w3id.org/govgraph/id/", "/id/"],
    ["https://w3id.org/govgraph/ontology#", "/ontology#"],
  ];
  function localise(root) {
    root.querySelectorAll("a[href^='https://w3id.org/govgraph/']").forEach(function (link) {
      local.forEach(function (pair) {
        if (link.getAttribute("href").indexOf(pair[0]) === 0) {
          link.setAttribute("href", pair[1] + link.getAttribute("href").slice(pair[0].length));
          link.removeAttribute("target");
        }
      });
    });
  }
  new MutationObserver(function () {
    localise(document.getElementById("yasgui"));
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  var select = document.getElementById("examples");
  var help = document.getElementById("example-help");
  config.examples.forEach(function (example, index) {
    var option = document.createElement("option");
    option.value = String(index);
    option.textContent = example.title || example.name;
    option.title = example.purpose;
    select.appendChild(option);
  });

  function describe(example) {
    help.textContent = "";
    help.appendChild(document.createTextNode(example.purpose + " "));
    example.params.forEach(function (param) {
      var code = document.createElement("code");
      code.textContent = "?" + param.name + " (" + param.type + ") = " + JSON.stringify(param.value);
      help.appendChild(code);
      help.appendChild(document.createTextNode(" " + param.doc + " "));
    });
    if (example.params.length) {
      help.appendChild(document.createTextNode("Edit the values in the VALUES block."));
    }
  }

  select.addEventListener("change", function () {
    var example = config.examples[Number(select.value)];
    if (!example) return;
    var tab = yasgui.addTab(true, { name: example.title || example.name, yasqe: { value: example.query } });
    tab.setQuery(example.query);
    describe(example);
  });
})();
