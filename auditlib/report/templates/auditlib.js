/* One script for the audit report and the batch index.  It reads the page through
   textContent / dataset only and never writes HTML built from document text. */
(function(){
  function each(list,fn){Array.prototype.forEach.call(list,fn);}
  // sortable tables: click a header; numbers compare as numbers (a cell's data-sort, when it has
  // one, is what it sorts by: 差额 by its magnitude), text in Chinese order
  var NUMBER=/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;
  each(document.querySelectorAll('table.al-sortable'),function(t){
    if(t.dataset.ready)return; t.dataset.ready='1';
    var body=t.tBodies[0];
    function val(r,i){var c=r.cells[i];return c.dataset.sort!==undefined?c.dataset.sort:c.textContent.trim();}
    each(t.tHead.rows[0].cells,function(th,i){
      th.addEventListener('click',function(){
        var dir=th.dataset.dir==='asc'?'desc':'asc';
        each(t.tHead.rows[0].cells,function(o){delete o.dataset.dir;});
        th.dataset.dir=dir;
        var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=val(a,i),y=val(b,i);
          var c=(NUMBER.test(x)&&NUMBER.test(y))?parseFloat(x)-parseFloat(y):x.localeCompare(y,'zh');
          return dir==='asc'?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  // the batch index's filter bar: each <select data-col=N> keeps the rows whose cell N starts with
  // its value (全部核对 是/否), or contains it when marked data-contains (文件类型: 决算、预算), the
  // search box the rows that contain its text
  each(document.querySelectorAll('[data-filter-for]'),function(bar){
    var t=document.getElementById(bar.dataset.filterFor); if(!t||bar.dataset.ready)return; bar.dataset.ready='1';
    var body=t.tBodies[0],controls=bar.querySelectorAll('select,input'),cnt=bar.querySelector('.al-count');
    var apply=function(){
      var n=0;
      each(body.rows,function(r){
        var ok=true;
        each(controls,function(c){var v=(c.value||'').trim().toLowerCase(); if(!v)return;
          var text=(c.dataset.col!==undefined?r.cells[+c.dataset.col].textContent:r.textContent).trim().toLowerCase();
          var at=text.indexOf(v);
          if(c.dataset.col!==undefined&&!c.dataset.contains?at!==0:at<0)ok=false;});
        r.style.display=ok?'':'none'; if(ok)n++;
      });
      if(cnt)cnt.textContent='显示 '+n+' / '+body.rows.length+' 个部门';
    };
    each(controls,function(c){c.addEventListener(c.tagName==='INPUT'?'input':'change',apply);});
    apply();
  });
  // the findings table's filters, and a shareable view: #filter:severity=error&table=T06&text=…
  var t=document.getElementById('al-findings');
  if(t&&!t.dataset.filters){
    t.dataset.filters='1';
    var body=t.tBodies[0],sev=document.getElementById('al-f-severity'),tab=document.getElementById('al-f-table'),
        tri=document.getElementById('al-f-triage'),txt=document.getElementById('al-f-text'),
        cnt=document.getElementById('al-f-count');
    var apply=function(){
      var n=0,q=(txt.value||'').toLowerCase();
      each(body.rows,function(r){
        var ok=(!sev.value||r.dataset.severity===sev.value)&&
               (!tab.value||(' '+r.dataset.tables+' ').indexOf(' '+tab.value+' ')>=0)&&
               (!tri.value||r.dataset.triage===tri.value)&&
               (!q||r.textContent.toLowerCase().indexOf(q)>=0);
        r.style.display=ok?'':'none'; if(ok)n++;
      });
      cnt.textContent='显示 '+n+' / '+body.rows.length+' 条';
    };
    [sev,tab,tri].forEach(function(s){s.addEventListener('change',apply);});
    txt.addEventListener('input',apply);
    var h=decodeURIComponent((location.hash||'').replace(/^#filter:/,''));
    if(h!==decodeURIComponent(location.hash||'')){
      h.split('&').forEach(function(kv){var p=kv.split('='),el={severity:sev,table:tab,triage:tri,text:txt}[p[0]];
        if(el)el.value=p.slice(1).join('=');});}
    apply();
  }
  // findings <-> cells: a finding scrolls to its cells and flashes them; a cell flashes its findings
  function flash(ids){
    var first=null;
    (ids||'').split(' ').forEach(function(id){var el=id&&document.getElementById(id); if(!el)return;
      if(!first)first=el; el.classList.remove('al-flash'); void el.offsetWidth; el.classList.add('al-flash');});
    if(first)first.scrollIntoView({block:'center'});
    return first;
  }
  if(!document.body.dataset.alLinks){
    document.body.dataset.alLinks='1';
    document.addEventListener('click',function(ev){
      var a=ev.target.closest&&ev.target.closest('[data-goto]');
      if(!a)return;
      if(flash(a.dataset.goto))ev.preventDefault();
    });
  }
})();
